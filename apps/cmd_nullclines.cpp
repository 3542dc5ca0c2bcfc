// `waddington nullclines`: the memory (dalpha/dt = 0) and label (dell/dt = 0)
// nullclines of the reduced flow as ordered polylines (docs/model.md §2).
#include <fmt/format.h>

#include <sstream>

#include "apps/reduced_options.hpp"
#include "apps/reduced_portrait.hpp"
#include "apps/registry.hpp"
#include "apps/run_record.hpp"
#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"

namespace waddington::app {
namespace {

struct NullclinesConfig {
  ReducedConfig reduced;
  reduced::NullclineOptions options;
  int grid = 300;
  std::string format = "csv", out, plot;
};

// One row per point: curve index, which nullcline, on a bound, alpha, ell.
std::string nullclines_csv(const reduced::Nullclines& n) {
  std::ostringstream csv;
  csv << "curve,nullcline,on_bound,point,alpha,ell\n";
  int curve = 0;
  for (auto [name, lines] : {std::pair{"memory", &n.memory}, std::pair{"label", &n.label}})
    for (const auto& line : *lines) {
      for (std::size_t i = 0; i < line.points.size(); ++i)
        csv << fmt::format("{},{},{},{},{:.10g},{:.10g}\n", curve, name, int(line.on_bound), i, line.points[i](0),
                           line.points[i](1));
      ++curve;
    }
  return csv.str();
}

nlohmann::json nullclines_json(const reduced::Nullclines& n) {
  nlohmann::json j;
  for (auto [name, lines] : {std::pair{"memory", &n.memory}, std::pair{"label", &n.label}}) {
    auto& arr = j[name] = nlohmann::json::array();
    for (const auto& line : *lines) {
      nlohmann::json pts = nlohmann::json::array();
      for (const auto& p : line.points) pts.push_back({p(0), p(1)});
      arr.push_back({{"on_bound", line.on_bound}, {"points", pts}});
    }
  }
  auto& dead = j["dead_regions"] = nlohmann::json::array();
  for (const auto& d : n.dead_regions) dead.push_back({d.alpha_min, d.alpha_max});
  return j;
}

void run(NullclinesConfig c) {
  RunRecord record("nullclines", CommandLine::argc(), CommandLine::argv());
  check_format(c.format);
  const ReducedSetup setup = reduced_setup(c.reduced, &record);
  c.options.alpha_cells = c.options.ell_cells = c.grid;
  if (std::string why; !c.options.IsValid(&why)) throw InputError(why);
  if (!c.plot.empty()) plots::terminal_for(c.plot);
  if (!c.out.empty()) ensure_writable_directory(c.out);
  const auto start = std::chrono::steady_clock::now();
  const auto nullclines = reduced::compute_nullclines(setup.parameters, c.options);
  record.time("nullclines_seconds", seconds_since(start));
  const std::string csv = nullclines_csv(nullclines);
  if (c.format == "json") fmt::print("{}\n", nullclines_json(nullclines).dump());
  else if (c.format == "csv") fmt::print("{}", csv);
  else
    fmt::print("{} memory curve(s), {} label curve(s) ({} on the bounds), {} dead region(s)\n", nullclines.memory.size(),
               nullclines.label.size(),
               std::count_if(nullclines.label.begin(), nullclines.label.end(), [](const auto& l) { return l.on_bound; }),
               nullclines.dead_regions.size());
  if (!c.plot.empty()) {
    PortraitInputs in;
    in.alpha_min = c.options.alpha_min, in.alpha_max = c.options.alpha_max, in.nullcline_cells = c.grid, in.flow_starts = 0;
    plots::render_phase_portrait(c.plot, portrait_data(setup, reduced::find_fixed_points(setup.parameters), in));
  }
  if (c.out.empty()) return;
  write_file_atomic(std::filesystem::path(c.out) / "nullclines.csv", csv);
  record.parameters() = setup.ToJson();
  record.parameters()["grid"] = c.grid;
  record.parameters()["alpha_range"] = {c.options.alpha_min, c.options.alpha_max};
  record.summary() = {{"memory_curves", nullclines.memory.size()}, {"label_curves", nullclines.label.size()}};
  record.write(c.out);
}

const Registrar registrar(31, [](CLI::App& app) {
  auto config = std::make_shared<NullclinesConfig>();
  auto& c = *config;
  auto* cmd = app.add_subcommand("nullclines", "Memory and label nullclines of the reduced flow as polylines");
  add_reduced_options(cmd, c.reduced);
  cmd->add_option("--format", c.format, "Output on stdout: table (counts), csv or json")->capture_default_str();
  cmd->add_option("--out", c.out, "Directory for nullclines.csv and run.json");
  cmd->add_option("--plot", c.plot, "Picture of the nullclines (.png/.svg/.pdf)");
  cmd->add_option("--grid", c.grid, "Grid cells per axis")->capture_default_str()->check(CLI::Range(2, 10000));
  cmd->add_option("--alpha-min", c.options.alpha_min, "Smallest alpha")->capture_default_str();
  cmd->add_option("--alpha-max", c.options.alpha_max, "Largest alpha")->capture_default_str();
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
