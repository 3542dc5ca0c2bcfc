// The data blocks the fold-curve picture hands to gnuplot (not pixels).
#include <catch2/catch.hpp>

#include <string>

#include "plots/fold_curves.hpp"

using namespace waddington::plots;

TEST_CASE("region map: one flat colour and one key entry per count that occurs, no colour bar", "[short]") {
  FoldCurvePlotData d;
  d.n_min = 1, d.n_max = 3, d.Tr_min = 0.8, d.Tr_max = 1;
  for (double n : {1.0, 2.0, 3.0})
    for (double tr : {0.85, 0.95}) d.background.push_back({n, tr, n == 2 ? 1 : 2});
  const PlotScript s = fold_curves_script(d);
  CHECK(s.block("counts").find("2 0.85 1\n") != std::string::npos);
  CHECK(s.block("counts").find("1 0.95 2\n") != std::string::npos);
  CHECK(s.body.find("unset colorbox") != std::string::npos);
  CHECK(s.body.find("title '1 stable'") != std::string::npos);
  CHECK(s.body.find("title '2 stable'") != std::string::npos);
  CHECK(s.body.find("title '0 stable'") == std::string::npos);  // absent counts have no key entry
  // The palette is stepped: each count's colour spans [k - 0.5, k + 0.5].
  CHECK(s.body.find("0.5 '#dde9f6', 1.5 '#dde9f6'") != std::string::npos);
}
