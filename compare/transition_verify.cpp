#include "compare/transition_verify.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/enum_names.hpp"
#include "compare/training_cell.hpp"
#include "lib/errors.hpp"

namespace waddington::compare {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string alpha_column(reduced::TransitionKind kind, int memory, int sample) {
  return kind == reduced::TransitionKind::kInter ? fmt::format("alpha_{}_{}", memory, sample)
                                                 : fmt::format("alpha_{}", sample);
}

std::shared_ptr<const TrainingSetup> training_setup(const TransitionExperiment& e, const TransitionOptions& options) {
  auto setup = std::make_shared<TrainingSetup>();
  setup->training.images = e.samples;
  setup->training.labels = {e.classes[0], e.classes[1]};
  setup->training.source_rows = {0, 1};
  setup->training.num_classes = 10;
  setup->keep_files = options.keep_files;
  if (e.kind == reduced::TransitionKind::kInter) {
    // The start of the published Figure 6 inter-digit code.
    NetworkState start;
    start.memories.resize(2, e.samples.cols());
    start.memories.row(0) = 0.5 * e.samples.row(0) - 0.2 * e.samples.row(1);
    start.memories.row(1) = 0.5 * e.samples.row(1) - 0.2 * e.samples.row(0);
    start.labels = Eigen::MatrixXd::Constant(2, setup->training.num_classes, -1.0);
    start.labels(0, e.classes[0]) = 1.0;
    start.labels(1, e.classes[1]) = 1.0;
    setup->start = std::move(start);
  }
  return setup;
}

}  // namespace

bool TransitionOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) {
    if (why) *why = std::move(message);
    return false;
  };
  if (!(threshold > 0 && threshold < 1)) return bad(fmt::format("--threshold {} must be in (0, 1)", threshold));
  if (m && !(std::isfinite(*m) && *m >= 0.5)) return bad(fmt::format("--m {} must be >= 0.5", *m));
  return trainer(1, 2, 700).IsValid(why);
}

TrainerOptions TransitionOptions::trainer(int memories, double n, double temperature) const {
  TrainerOptions o;
  o.memories = memories;
  o.n = n;
  o.m = m;
  o.temperature = temperature;
  o.rate = rate;
  o.momentum = momentum;
  o.epochs = epochs;
  o.minibatch = 0;
  o.init_mean = init_mean;
  o.init_std = init_std;
  o.seed = seed;
  return o;
}

std::vector<TransitionRow> analytic_rows(const TransitionExperiment& e, const std::vector<double>& n_values,
                                         std::optional<double> m) {
  std::vector<TransitionRow> rows;
  for (const auto& p : reduced::transition_line(e.kind, e.AA(), e.AB(), e.BB(), n_values, int(e.samples.cols()), m)) {
    TransitionRow row;
    row.n = p.n;
    row.memory = p.memory;
    row.T_star = p.T_star;
    row.Tr_star = p.Tr_star;
    row.note = "not verified";
    rows.push_back(row);
  }
  return rows;
}

std::string dominant_column(reduced::TransitionKind kind, int memory) {
  return kind == reduced::TransitionKind::kInter ? fmt::format("dominant_alpha_{}", memory) : "dominant_alpha";
}

std::string minor_column(int memory) { return alpha_column(reduced::TransitionKind::kInter, memory, 3 - memory); }

sweep::Task transition_task(std::shared_ptr<const TransitionExperiment> experiment, const TransitionOptions& options) {
  if (experiment->samples.rows() != 2) throw InputError("the transition experiment needs exactly two samples");
  const auto setup = training_setup(*experiment, options);
  const int memories = experiment->num_memories();
  const auto kind = experiment->kind;
  sweep::Task task;
  task.name = "transition-cell";
  task.config = {{"kind", reduced::ToString(kind)},
                 {"samples", matrix_checksum(experiment->samples)},
                 {"classes", experiment->classes},
                 {"trainer", trainer_options_json(options.trainer(memories, 0, 0))}};
  task.config["trainer"].erase("n");
  task.config["trainer"].erase("T");
  task.parameters = {"n", "Tr"};
  for (int mu = 1; mu <= memories; ++mu)
    for (int i = 1; i <= 2; ++i) task.results.push_back(alpha_column(kind, mu, i));
  for (int mu = 1; mu <= memories; ++mu) task.results.push_back(dominant_column(kind, mu));
  task.results.push_back("final_cost");
  const double pixels = double(experiment->samples.cols());
  task.parameter_columns = {"T"};  // n and Tr are the grid's
  task.parameter_values = [pixels](const std::map<std::string, double>& p) {
    return std::map<std::string, double>{{"T", p.count("Tr") ? p.at("Tr") * pixels : std::nan("")}};
  };
  task.check = [options, memories, pixels](const std::map<std::string, double>& p) {
    if (!p.count("n") || !p.count("Tr")) throw InputError("the transition grid needs the parameters n and Tr");
    if (std::string why; !options.trainer(memories, p.at("n"), p.at("Tr") * pixels).IsValid(&why))
      throw InputError(why);
  };
  task.run = [setup, options, memories, kind, pixels](const sweep::CellContext& cell) {
    const TrainerOptions o = options.trainer(memories, cell.parameters.at("n"), cell.parameters.at("Tr") * pixels);
    const TrainedCell trained = train_cell(*setup, o, cell);
    if (setup->keep_files) keep_cell_files(trained, cell);
    sweep::CellResult result;
    const Eigen::MatrixXd& alpha = trained.analysis.alpha;  // K x 2
    for (int mu = 1; mu <= memories; ++mu) {
      for (int i = 1; i <= 2; ++i) result.values[alpha_column(kind, mu, i)] = alpha(mu - 1, i - 1);
      result.values[dominant_column(kind, mu)] = alpha.row(mu - 1).maxCoeff();
    }
    const EpochMetrics* last = trained.summary.final_metrics();
    result.values["final_cost"] = last ? last->cost : kNaN;
    if (trained.summary.termination != TrainerTermination::kCompleted) {
      result.status = sweep::CellStatus::kFailed;
      result.message = trained.summary.message;
    }
    return result;
  };
  return task;
}

namespace {
constexpr EnumName<SwitchCrossing> kCrossingNames[] = {{SwitchCrossing::kLast, "last"}, {SwitchCrossing::kFirst, "first"}};
}  // namespace

const char* ToString(SwitchCrossing crossing) { return enum_to_string(kCrossingNames, crossing); }
bool FromString(const std::string& text, SwitchCrossing* crossing) {
  return enum_from_string(kCrossingNames, text, crossing);
}

std::optional<double> switch_temperature(const std::vector<double>& Tr, const std::vector<double>& dominant,
                                         double threshold, SwitchCrossing crossing, std::string* note) {
  std::vector<std::size_t> valid;  // cells with a result, in order of Tr
  for (std::size_t k = 0; k < Tr.size(); ++k)
    if (!std::isnan(dominant[k])) valid.push_back(k);
  std::vector<std::size_t> crossings;  // positions p in `valid` with a crossing between p-1 and p
  for (std::size_t p = 1; p < valid.size(); ++p)
    if (dominant[valid[p - 1]] < threshold && dominant[valid[p]] >= threshold) crossings.push_back(p);
  auto say = [&](std::string text) {
    if (note) *note = std::move(text);
  };
  if (valid.empty()) return say("no cells"), std::nullopt;
  const bool bottom_is_prototype = dominant[valid.front()] >= threshold;
  const bool top_is_prototype = dominant[valid.back()] >= threshold;
  if (crossings.empty()) {
    // Never goes up through the threshold: constant side, or only down.
    say(!bottom_is_prototype ? "mixture throughout" : top_is_prototype ? "prototype throughout" : "mixture at the top");
    return std::nullopt;
  }
  if (crossing == SwitchCrossing::kLast && !top_is_prototype) return say("mixture at the top"), std::nullopt;
  if (crossing == SwitchCrossing::kFirst && bottom_is_prototype) return say("prototype at the bottom"), std::nullopt;
  const std::size_t p = crossing == SwitchCrossing::kLast ? crossings.back() : crossings.front();
  say(crossings.size() == 1 ? "switch" : fmt::format("switch ({} crossings)", crossings.size()));
  const double t0 = Tr[valid[p - 1]], t1 = Tr[valid[p]], d0 = dominant[valid[p - 1]], d1 = dominant[valid[p]];
  return t0 + (threshold - d0) / (d1 - d0) * (t1 - t0);
}

TransitionSummary measure_transition(const TransitionExperiment& e, std::vector<TransitionRow> rows,
                                     const sweep::Grid& grid, const sweep::Task& task,
                                     const std::vector<sweep::CellRecord>& records, double threshold,
                                     SwitchCrossing crossing) {
  const auto& axes = grid.axes();
  auto axis_index = [&](const std::string& name) {
    for (std::size_t k = 0; k < axes.size(); ++k)
      if (axes[k].name == name) return k;
    throw InputError(fmt::format("the transition grid has no axis '{}'", name));
  };
  const std::size_t n_axis = axis_index("n"), Tr_axis = axis_index("Tr");
  TransitionSummary s;
  s.kind = e.kind;
  s.threshold = threshold;
  s.crossing = crossing;
  s.verified = true;
  // The scan of one result column at one n, in order of Tr (NaN where a cell did not finish).
  auto scan = [&](double n, const std::string& column, std::vector<double>* Tr, std::vector<double>* values) {
    const auto at = std::size_t(std::find(task.results.begin(), task.results.end(), column) - task.results.begin());
    std::vector<std::pair<double, double>> points;
    for (std::size_t id = 0; id < grid.size(); ++id) {
      const sweep::Cell cell = grid.cell(id);
      if (cell.values[n_axis] != n) continue;
      const auto& r = records.at(id);
      points.emplace_back(cell.values[Tr_axis], r.status == sweep::CellStatus::kOk ? r.values.at(at) : kNaN);
    }
    std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Tr->clear(), values->clear();
    for (const auto& [t, v] : points) Tr->push_back(t), values->push_back(v);
  };
  double total = 0, minor_total = 0;
  std::vector<double> Tr, values;
  for (TransitionRow& row : rows) {
    scan(row.n, dominant_column(e.kind, row.memory), &Tr, &values);
    row.Tr_switch = switch_temperature(Tr, values, threshold, crossing, &row.note);
    if (row.Tr_switch) {
      row.deviation = *row.Tr_switch - row.Tr_star;
      ++s.switched;
      total += std::abs(*row.deviation);
      s.max_abs_deviation = std::max(s.max_abs_deviation, std::abs(*row.deviation));
    }
    if (e.kind != reduced::TransitionKind::kInter) continue;
    scan(row.n, minor_column(row.memory), &Tr, &values);
    row.Tr_minor_zero = switch_temperature(Tr, values, 0.0, crossing);
    if (row.Tr_minor_zero) {
      row.minor_deviation = *row.Tr_minor_zero - row.Tr_star;
      ++s.minor_crossed;
      minor_total += std::abs(*row.minor_deviation);
      s.max_abs_minor_deviation = std::max(s.max_abs_minor_deviation, std::abs(*row.minor_deviation));
    }
  }
  s.mean_abs_deviation = s.switched > 0 ? total / s.switched : 0.0;
  s.mean_abs_minor_deviation = s.minor_crossed > 0 ? minor_total / s.minor_crossed : 0.0;
  s.rows = std::move(rows);
  return s;
}

std::string TransitionSummary::BriefReport() const {
  if (!verified) return fmt::format("transition line ({}): {} rows, analytic only", reduced::ToString(kind), rows.size());
  return fmt::format("transition line ({}): switch seen in {} of {} scans; |Tr_switch - Tr*| max {:.4f}, mean {:.4f} "
                     "(threshold {:g}, {} crossing)",
                     reduced::ToString(kind), switched, rows.size(), max_abs_deviation, mean_abs_deviation, threshold,
                     ToString(crossing)) +
         (kind == reduced::TransitionKind::kInter
              ? fmt::format("; minor alpha crosses 0 in {} of {} scans, |Tr_minor_zero - Tr*| max {:.4f}, mean {:.4f}",
                            minor_crossed, rows.size(), max_abs_minor_deviation, mean_abs_minor_deviation)
              : std::string());
}

nlohmann::json TransitionSummary::ToJson() const {
  nlohmann::json j = {{"kind", reduced::ToString(kind)}, {"threshold", threshold}, {"crossing", ToString(crossing)}, {"verified", verified},
                      {"rows", rows.size()},            {"brief_report", BriefReport()}};
  if (verified) {
    j["switched"] = switched;
    j["max_abs_deviation"] = switched > 0 ? nlohmann::json(max_abs_deviation) : nlohmann::json(nullptr);
    j["mean_abs_deviation"] = switched > 0 ? nlohmann::json(mean_abs_deviation) : nlohmann::json(nullptr);
    if (kind == reduced::TransitionKind::kInter) {
      const bool any = minor_crossed > 0;
      j["minor_crossed"] = minor_crossed;
      j["max_abs_minor_deviation"] = any ? nlohmann::json(max_abs_minor_deviation) : nlohmann::json(nullptr);
      j["mean_abs_minor_deviation"] = any ? nlohmann::json(mean_abs_minor_deviation) : nlohmann::json(nullptr);
    }
  }
  return j;
}

TransitionSummary analytic_transition(const TransitionExperiment& experiment, const std::vector<double>& n_values,
                                      const TransitionOptions& options) {
  TransitionSummary summary;
  summary.kind = experiment.kind, summary.threshold = options.threshold, summary.crossing = options.crossing;
  summary.rows = analytic_rows(experiment, n_values, options.m);
  return summary;
}

nlohmann::json transition_parameters(const TransitionExperiment& e, const sweep::Grid& grid,
                                     const TransitionOptions& options) {
  return {{"kind", reduced::ToString(e.kind)}, {"samples", e.description}, {"classes", e.classes}, {"AA", e.AA()},
          {"AB", e.AB()}, {"BB", e.BB()}, {"N", e.samples.cols()}, {"grid", grid.ToJson()},
          {"threshold", options.threshold}, {"crossing", ToString(options.crossing)},
          {"m", options.m ? nlohmann::json(*options.m) : nlohmann::json("n")}};
}

}  // namespace waddington::compare
