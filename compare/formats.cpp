#include "compare/formats.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

namespace waddington::compare {
namespace {

std::string number(const std::optional<double>& x) { return x ? fmt::format("{:.6f}", *x) : std::string(); }

}  // namespace

std::string validation_csv(const DiagramValidationSummary& s) {
  std::string t = s.parameter +
                  ",alpha_final,alpha_B_final,ell_final,distance_to_stable_branch,memory,run,split,start,start_alpha,"
                  "start_ell,start_basin,nearest_stable,nearest_branch,same_basin,epochs,converged,memories_apart,"
                  "label_asymmetry,gamma_offset,norm_offset,oscillation\n";
  for (const auto& r : s.rows)
    t += fmt::format("{:.10g},{:.12g},{:.12g},{:.12g},{},{},{},{:g},{},{:.10g},{:.10g},{},{},{},{:d},{},{:d},{:d},{:.3g},{:.3g},{:.3g},{:.3g}\n",
                     r.value, r.alpha_final, r.alpha_B_final, r.ell_final, std::isfinite(r.distance) ? fmt::format("{:.6g}", r.distance) : "",
                     r.memory, r.run, r.split, r.start_kind, r.start_alpha, r.start_ell, r.start_equilibrium, r.nearest,
                     r.nearest_branch, r.same_basin, r.epochs, r.converged, r.apart, r.label_asymmetry,
                     r.gamma_offset, r.norm_offset, r.oscillation);
  return t;
}

std::string compare_csv(const CompareResult& result) {
  std::string out = "epoch,alpha_full,ell_full,alpha_reduced,ell_reduced,split,alpha_1,ell_1,alpha_2,ell_2,off_model\n";
  for (const auto& r : result.rows)
    out += fmt::format("{},{:.10g},{:.10g},{:.10g},{:.10g},{:.6g},{:.10g},{:.10g},{:.10g},{:.10g},{:.3g}\n", r.epoch,
                       r.alpha_full, r.ell_full, r.alpha_reduced, r.ell_reduced, r.split, r.alpha_1, r.ell_1, r.alpha_2,
                       r.ell_2, r.off_model);
  return out;
}

std::string transition_csv(const TransitionSummary& s) {
  std::string csv = "kind,n,memory,T_star,Tr_star,Tr_switch,deviation,note,Tr_minor_zero,minor_deviation\n";
  for (const auto& r : s.rows)
    csv += fmt::format("{},{},{},{:.6f},{:.6f},{},{},{},{},{}\n", reduced::ToString(s.kind), sweep::format_value(r.n),
                       r.memory, r.T_star, r.Tr_star, number(r.Tr_switch), number(r.deviation), r.note,
                       number(r.Tr_minor_zero), number(r.minor_deviation));
  return csv;
}

std::string cells_csv(const sweep::Grid& grid, const sweep::Task& task, const std::vector<sweep::CellRecord>& records) {
  std::vector<std::string> header, extra;  // extra: the task's parameter columns that are not axes (T), last
  for (const auto& axis : grid.axes()) header.push_back(axis.name);
  if (task.parameter_values)
    for (const auto& name : task.parameter_columns)
      if (std::find(header.begin(), header.end(), name) == header.end()) extra.push_back(name);
  header.insert(header.end(), task.results.begin(), task.results.end());
  header.push_back("status");
  header.insert(header.end(), extra.begin(), extra.end());
  std::string csv = fmt::format("{}\n", fmt::join(header, ","));
  for (std::size_t id = 0; id < grid.size(); ++id) {
    std::vector<std::string> fields;
    for (double v : grid.cell(id).values) fields.push_back(sweep::format_value(v));
    std::vector<std::string> extra_fields;
    if (!extra.empty()) {
      const auto values = task.parameter_values(grid.parameters(id));
      for (const auto& name : extra) extra_fields.push_back(values.count(name) ? sweep::format_value(values.at(name)) : "");
    }
    const auto& r = records.at(id);
    const bool has_values = r.status != sweep::CellStatus::kPending;
    for (std::size_t k = 0; k < task.results.size(); ++k)
      fields.push_back(has_values && k < r.values.size() ? fmt::format("{:.6f}", r.values[k]) : std::string());
    fields.push_back(sweep::ToString(r.status));
    fields.insert(fields.end(), extra_fields.begin(), extra_fields.end());
    csv += fmt::format("{}\n", fmt::join(fields, ","));
  }
  return csv;
}

std::string transition_table(const TransitionSummary& s) {
  const bool inter = s.kind == reduced::TransitionKind::kInter;
  auto value = [](const std::optional<double>& x, const char* format) {
    return x ? fmt::format(fmt::runtime(format), *x) : std::string("-");
  };
  std::string t = fmt::format("{:>8} {:>6} {:>10} {:>10} {:>10} {:>10}", "n", "memory", "T_star", "Tr_star", "Tr_switch",
                              "deviation");
  t += inter ? fmt::format(" {:>13} {:>15}", "Tr_minor_zero", "minor_deviation") : "";
  t += "  note\n";
  for (const auto& r : s.rows) {
    t += fmt::format("{:>8} {:>6} {:>10.3f} {:>10.5f} {:>10} {:>10}", sweep::format_value(r.n), r.memory, r.T_star,
                     r.Tr_star, value(r.Tr_switch, "{:.5f}"), value(r.deviation, "{:+.5f}"));
    if (inter) t += fmt::format(" {:>13} {:>15}", value(r.Tr_minor_zero, "{:.5f}"), value(r.minor_deviation, "{:+.5f}"));
    t += "  " + r.note + "\n";
  }
  return t;
}

}  // namespace waddington::compare
