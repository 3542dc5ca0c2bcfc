// `waddington fixed-points`: all equilibria of the reduced two-memory flow
// (docs/model.md §2) with their eigenvalues and stability. Thin: config ->
// TwoMemoryParameters + FixedPointOptions -> find_fixed_points -> print/write.
#include <fmt/format.h>

#include <sstream>

#include "apps/command.hpp"
#include "apps/portrait_plot.hpp"
#include "apps/reduced_options.hpp"
#include "apps/registry.hpp"
#include "reduced_models/fixed_points.hpp"

namespace waddington::app {
namespace {

struct FixedPointsConfig {
  ReducedConfig reduced;
  reduced::FixedPointOptions options;
  std::string format = "table", out, plot;
  double plot_alpha_min = 0, plot_alpha_max = 1;
};

std::string number(double x) { return std::isfinite(x) ? fmt::format("{:.10g}", x) : (x > 0 ? "inf" : x < 0 ? "-inf" : "nan"); }

// eig1, eig2: the real parts as doubles (+-inf beyond the double range, 0
// only for a zero eigenvalue); eig1_log10, eig2_log10: log10 |Re lambda|, finite
// at any magnitude (empty for a zero one). On a label bound eig2 is not a flow
// eigenvalue: eig2 and eig2_log10 are empty and held is 1 (README, fixed-points).
std::string fixed_points_csv(const reduced::FixedPointSummary& s) {
  std::ostringstream csv;
  csv << "alpha,alpha_B,ell,stability,eig1,eig2,chart,kind,residual,speed,eig1_im,eig2_im,anti_eig1,anti_eig2,"
         "eig1_log10,eig2_log10,held\n";
  auto log10_field = [](const continuation::WideReal& w) { return w.sign == 0 ? std::string() : fmt::format("{:.10g}", w.log10_abs); };
  for (const auto& f : s.fixed_points) {
    const std::string eig2 = f.held ? std::string() : number(f.eigenvalues(1).real());
    const std::string eig2_im = f.held ? std::string() : number(f.eigenvalues(1).imag());
    csv << fmt::format("{},{},{},{},{},{},{},{},{:.3e},{:.3e},{},{},", number(f.alpha), number(f.alpha_B), number(f.ell),
                       ToString(f.stability), number(f.eigenvalues(0).real()), eig2, f.chart, ToString(f.kind),
                       f.residual, f.speed, number(f.eigenvalues(0).imag()), eig2_im);
    if (f.has_antisymmetric)
      csv << number(f.antisymmetric_eigenvalues(0).real()) << ',' << number(f.antisymmetric_eigenvalues(1).real());
    else
      csv << ',';
    csv << ',' << log10_field(f.spectrum.real[0]) << ',' << (f.held ? std::string() : log10_field(f.spectrum.real[1]))
        << ',' << (f.held ? 1 : 0);
    csv << '\n';
  }
  return csv.str();
}

std::string fixed_points_table(const reduced::FixedPointSummary& s) {
  std::string t = s.BriefReport() + "\n";
  t += fmt::format("{:>10} {:>10} {:>10}  {:<8} {:<8} {:>11} {:>11} {:>11} {:>11} {:>9}\n", "alpha", "alpha_B", "ell",
                   "kind", "stability", "eig1", "eig2", "anti_eig1", "anti_eig2", "residual");
  for (const auto& f : s.fixed_points) {
    // Beyond the double range the real part is written as sign, mantissa and exponent.
    auto eig = [](std::complex<double> z, const continuation::WideReal& w) {
      if (!std::isfinite(z.real())) return w.sign != 0 ? w.ToString(4) : number(z.real());
      return z.imag() == 0 ? fmt::format("{:.6g}", z.real()) : fmt::format("{:.4g}{:+.2g}i", z.real(), z.imag());
    };
    t += fmt::format("{:>10.6f} {:>10.6f} {:>10.6f}  {:<8} {:<8} {:>11} {:>11} {:>11} {:>11} {:>9.1e}\n", f.alpha,
                     f.alpha_B, f.ell, ToString(f.kind), ToString(f.stability), eig(f.eigenvalues(0), f.spectrum.real[0]),
                     f.held ? std::string("held") : eig(f.eigenvalues(1), f.spectrum.real[1]),
                     f.has_antisymmetric ? eig(f.antisymmetric_eigenvalues(0), f.antisymmetric_spectrum.real[0]) : "-",
                     f.has_antisymmetric ? eig(f.antisymmetric_eigenvalues(1), f.antisymmetric_spectrum.real[1]) : "-",
                     f.residual);
  }
  return t;
}

void run(const FixedPointsConfig& c) {
  Command command("fixed-points", c.out, {c.plot});
  check_format(c.format);
  const auto setup = reduced_setup(c.reduced, &command.record());
  command.validate(c.options);
  const reduced::PortraitOptions plot{.alpha_min = c.plot_alpha_min, .alpha_max = c.plot_alpha_max};
  if (!c.plot.empty()) command.validate(plot);
  command.start();
  const auto summary = reduced::find_fixed_points(setup.parameters, c.options);
  command.time("fixed_points_seconds", summary.seconds);
  if (c.format == "csv") fmt::print("{}", fixed_points_csv(summary));
  else if (c.format == "json") fmt::print("{}\n", summary.ToJson().dump(2));
  else fmt::print("{}", fixed_points_table(summary));
  if (!c.plot.empty()) plot_phase_portrait(c.plot, setup, summary.fixed_points, {}, plot);
  command.write("fixed_points.csv", fixed_points_csv(summary));
  nlohmann::json parameters = setup.ToJson();
  parameters["seed_grid"] = {c.options.seed_alpha_cells, c.options.seed_ell_cells};
  parameters["alpha_range"] = {c.options.alpha_min, c.options.alpha_max};
  command.close(parameters, summary.ToJson());
}

const Registrar registrar(30, [](CLI::App& app) {
  auto config = std::make_shared<FixedPointsConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("fixed-points", "Equilibria of the reduced two-memory flow, with stability (docs/model.md §2)");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--format", c.format, "Output on stdout: table, csv or json")->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for fixed_points.csv and run.json");
  cmd->add_option("--plot", c.plot, "Phase portrait with the fixed points (.png/.svg/.pdf)");
  cmd->add_option("--alpha-min", c.options.alpha_min, "Search domain: smallest alpha")->capture_default_str();
  cmd->add_option("--alpha-max", c.options.alpha_max, "Search domain: largest alpha")->capture_default_str();
  cmd->add_option("--seed-alpha", c.options.seed_alpha_cells, "Seed grid cells along alpha")->capture_default_str();
  cmd->add_option("--seed-ell", c.options.seed_ell_cells, "Seed grid cells along ell")->capture_default_str();
  cmd->add_option("--plot-alpha-min", c.plot_alpha_min, "Plot range: smallest alpha")->capture_default_str();
  cmd->add_option("--plot-alpha-max", c.plot_alpha_max, "Plot range: largest alpha")->capture_default_str();
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
