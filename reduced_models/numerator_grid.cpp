#include "reduced_models/numerator_grid.hpp"

#include <cmath>
#include <limits>

#include "reduced_models/log_numerators.hpp"

namespace waddington::reduced {

NumeratorGrid evaluate_numerator_grid(const TwoMemoryParameters& p, double alpha_min, double alpha_max,
                                      int alpha_cells, int ell_cells) {
  NumeratorGrid g;
  g.alpha = Eigen::VectorXd::LinSpaced(alpha_cells + 1, alpha_min, alpha_max);
  g.ell = Eigen::VectorXd::LinSpaced(ell_cells + 1, -1.0, 1.0);
  g.F1.resize(alpha_cells + 1, ell_cells + 1);
  g.F2.resize(alpha_cells + 1, ell_cells + 1);
  g.dead.resize(alpha_cells + 1, ell_cells + 1);
  const double m = p.cost_power();
  const double log_t_eff = std::log(p.effective_temperature());
  const double w = gamma_weight(p);
  const double log_w = w > 0 ? std::log(w) : -std::numeric_limits<double>::infinity();
  for (int i = 0; i <= alpha_cells; ++i) {
    const NumeratorColumn<double> c = numerator_column(p, g.alpha(i), m, log_t_eff);
    const bool dead = !c.a_on && !c.b_on;
    for (int j = 0; j <= ell_cells; ++j) {
      g.dead(i, j) = dead;
      if (dead) {
        g.F1(i, j) = g.F2(i, j) = 0;
        continue;
      }
      const double ell = g.ell(j);
      const NumeratorTerms<double> t = numerator_terms(p, c, ell, m, log_w);
      g.F1(i, j) = scaled_F1(t);
      g.F2(i, j) = scaled_F2(p, c, t);
    }
  }
  return g;
}

}  // namespace waddington::reduced
