#include "lib/run_analysis.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "common/enum_names.hpp"
#include "lib/atomic_file.hpp"
#include "lib/errors.hpp"
#include "lib/npy.hpp"

namespace waddington {
namespace fs = std::filesystem;

namespace {
constexpr EnumName<RunAnalysisTermination> kTerminationNames[] = {
    {RunAnalysisTermination::kNotRun, "not_run"},
    {RunAnalysisTermination::kCompleted, "completed"},
    {RunAnalysisTermination::kRunIncomplete, "run_incomplete"},
    {RunAnalysisTermination::kNonFinite, "non_finite"}};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<int> argmax_rows(const Eigen::MatrixXd& m) {
  std::vector<int> out(std::size_t(m.rows()));
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    Eigen::Index best = 0;
    m.row(r).maxCoeff(&best);
    out[std::size_t(r)] = int(best);
  }
  return out;
}

// The epochs to analyse: the requested ones (each must be on disk) or all.
std::vector<int> chosen_epochs(const RunAnalysisOptions& o, const SavedRun& run) {
  const std::vector<int> on_disk = run.state_epochs();
  if (o.epochs.empty()) return on_disk;
  std::vector<int> chosen = parse_int_list(o.epochs, "--at-epochs");
  std::sort(chosen.begin(), chosen.end());
  chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
  for (int e : chosen)
    if (!std::binary_search(on_disk.begin(), on_disk.end(), e))
      throw InputError(fmt::format("--at-epochs: epoch {} is not saved in the run (saved: {})", e, fmt::join(on_disk, ", ")));
  return chosen;
}

}  // namespace

std::string ToString(RunAnalysisTermination t) { return enum_to_string(kTerminationNames, t); }
bool FromString(const std::string& text, RunAnalysisTermination* t) { return enum_from_string(kTerminationNames, text, t); }

bool RunAnalysisOptions::IsValid(std::string* why) const {
  auto bad = [&](std::string message) { if (why) *why = std::move(message); return false; };
  if (run_dir.empty()) return bad("give the run folder RUN_DIR");
  if (!(memory.tolerance > 0 && memory.tolerance < 1))
    return bad(fmt::format("reconstruction tolerance {} must be in (0, 1)", memory.tolerance));
  if (std::string reason; !order.IsValid(&reason)) return bad(reason);
  if (std::string reason; !splits.IsValid(&reason)) return bad(reason);
  try {
    if (!epochs.empty()) parse_int_list(epochs, "--at-epochs");
  } catch (const InputError& e) {
    return bad(e.what());
  }
  return true;
}

nlohmann::json RunAnalysisOptions::ToJson() const {
  nlohmann::json j = {{"run_dir", run_dir}, {"images", images}, {"epochs", epochs}};
  j.update(memory.ToJson());
  j.update(order.ToJson());
  j.update(splits.ToJson());
  return j;
}

std::vector<int> RunAnalysisSummary::trained_digits() const {
  std::vector<int> digits;
  for (std::size_t d = 0; d < class_counts.size(); ++d)
    if (class_counts[d] > 0) digits.push_back(int(d));
  return digits;
}

RunAnalysisSummary analyze_run(const RunAnalysisOptions& options, const AnalysisProgress& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (std::string why; !options.IsValid(&why)) throw InputError(why);
  RunAnalysisSummary s;
  const SavedRun run = open_saved_run(options.run_dir);
  const std::vector<int> epochs = chosen_epochs(options, run);
  s.run_parameters = run.record["parameters"];
  s.class_counts = run.class_counts;
  s.metrics = read_metrics_csv(run.dir / "metrics.csv");
  const RecognitionHistory recognition = recognition_history(s.metrics, s.class_counts);  // refused before any work
  const Dataset training = load_saved_training_set(run, options.images, &s.inputs);
  s.num_samples = int(training.num_samples());
  // One decomposition of X^T for every epoch (docs/model.md §1.2).
  const SampleBasis basis(training);
  s.load_seconds = seconds_since(start);

  const auto analysis_start = std::chrono::steady_clock::now();
  bool non_finite = false;
  for (std::size_t i = 0; i < epochs.size(); ++i) {
    const NetworkState state = load_saved_state(run, epochs[i]);
    if (s.num_memories == 0) s.num_memories = int(state.num_memories());
    if (state.num_memories() != s.num_memories)
      throw InputError(fmt::format("epoch {} has {} memories, epoch {} has {}", epochs[i], state.num_memories(),
                                   epochs.front(), s.num_memories));
    EpochAnalysis e;
    e.epoch = epochs[i];
    if (!state.memories.allFinite() || !state.labels.allFinite()) {
      non_finite = true;
      s.warnings.push_back(fmt::format("epoch {}: the saved state holds NaN or infinite entries", epochs[i]));
    }
    e.memories = analyze_memories(state.memories, basis, options.memory);
    e.dominant_label = argmax_rows(state.labels);
    e.memories_per_label = memories_per_class(state.labels);
    s.epochs.push_back(std::move(e));
    if (progress) progress(int(i + 1), int(epochs.size()));
  }
  s.final_digits = s.epochs.back().dominant_label;

  s.order = learning_order(recognition, options.order);
  std::vector<Eigen::MatrixXd> alphabar;
  for (const auto& e : s.epochs) alphabar.push_back(e.memories.alpha_by_class);
  s.splits = find_splits(epochs, alphabar, s.final_digits, options.splits);
  s.analysis_seconds = seconds_since(analysis_start);

  const bool run_complete = !run.record.contains("summary") || !run.record["summary"].contains("complete") ||
                            run.record["summary"]["complete"] == true;
  if (!run_complete) s.warnings.push_back("the training run did not complete (its run.json says so)");
  s.termination = non_finite       ? RunAnalysisTermination::kNonFinite
                  : !run_complete ? RunAnalysisTermination::kRunIncomplete
                                  : RunAnalysisTermination::kCompleted;
  return s;
}

std::string memories_csv(const RunAnalysisSummary& s) {
  std::string csv = "epoch,memory,dominant_label,max_alpha,samples_needed,dominant_alphabar,span_residual\n";
  for (const EpochAnalysis& e : s.epochs) {
    const std::vector<int> dominant_alphabar = argmax_rows(e.memories.alpha_by_class);
    for (std::size_t mu = 0; mu < e.dominant_label.size(); ++mu)
      csv += fmt::format("{},{},{},{:.10g},{},{},{:.6g}\n", e.epoch, mu, e.dominant_label[mu],
                         e.memories.max_alpha(Eigen::Index(mu)), e.memories.samples_to_reconstruct[mu],
                         dominant_alphabar[mu], e.memories.span_residual(Eigen::Index(mu)));
  }
  return csv;
}

void write_run_analysis(const fs::path& out, const RunAnalysisSummary& s) {
  ensure_writable_directory(out);
  const std::size_t epochs = s.epochs.size(), k = std::size_t(s.num_memories), samples = std::size_t(s.num_samples),
                    classes = s.class_counts.size();
  std::vector<double> alpha, alphabar;
  alpha.reserve(epochs * k * samples);
  alphabar.reserve(epochs * k * classes);
  for (const EpochAnalysis& e : s.epochs)
    for (std::size_t mu = 0; mu < k; ++mu) {
      for (std::size_t i = 0; i < samples; ++i) alpha.push_back(e.memories.alpha(Eigen::Index(mu), Eigen::Index(i)));
      for (std::size_t d = 0; d < classes; ++d)
        alphabar.push_back(e.memories.alpha_by_class(Eigen::Index(mu), Eigen::Index(d)));
    }
  write_npy(out / "alpha.npy", {epochs, k, samples}, alpha);
  write_npy(out / "alphabar.npy", {epochs, k, classes}, alphabar);
  write_file_atomic(out / "memories.csv", memories_csv(s));
  write_file_atomic(out / "order.csv", order_csv(s.order));
  write_file_atomic(out / "splits.csv", splits_csv(s.splits));
}

std::string RunAnalysisSummary::FullReport() const {
  std::string out = fmt::format("analysis {}: {} memories, {} training samples, {} epochs\n", ToString(termination),
                                num_memories, num_samples, epochs.size());
  out += "  epoch  mean_max_alpha  mean_samples_needed  not_reconstructed  memories per dominant label\n";
  for (const EpochAnalysis& e : epochs) {
    const auto& needed = e.memories.samples_to_reconstruct;
    out += fmt::format("  {:>5}  {:>14.4f}  {:>19.2f}  {:>17}  [{}]\n", e.epoch, e.memories.mean_max_alpha,
                       e.memories.mean_samples_to_reconstruct, std::count(needed.begin(), needed.end(), -1),
                       fmt::join(e.memories_per_label, " "));
  }
  out += fmt::format("learning order (first learnt first): {}\n", order.ToString());
  std::vector<std::string> when;
  for (const auto& r : order.digits) when.push_back(fmt::format("{}:{}", r.digit, r.epoch_recognised));
  out += fmt::format("  epoch recognised per digit: {}\n", fmt::join(when, " "));
  const double tau = kendall_tau(order, paper_learning_order());
  out += fmt::format("  Kendall tau-b against the paper's order (1 4 9 | 7 | 5 6 | 3 8 | 0 2): {:.3f}\n", tau);
  const auto within = std::count_if(splits.begin(), splits.end(), [](const auto& e) { return e.within_digit(); });
  out += fmt::format("split events: {} ({} between digits, {} within one digit)\n", splits.size(),
                     splits.size() - std::size_t(within), within);
  const std::string described = describe_splits(splits);
  std::size_t begin = 0;
  while (begin < described.size()) {
    const std::size_t end = described.find('\n', begin);
    out += "  " + described.substr(begin, end - begin + 1);
    begin = end + 1;
  }
  return out;
}

nlohmann::json RunAnalysisSummary::ToJson() const {
  nlohmann::json j;
  j["termination"] = ToString(termination);
  j["complete"] = complete();
  j["num_memories"] = num_memories;
  j["num_samples"] = num_samples;
  nlohmann::json per_epoch = nlohmann::json::array();
  for (const EpochAnalysis& e : epochs) {
    const auto& needed = e.memories.samples_to_reconstruct;
    per_epoch.push_back({{"epoch", e.epoch},
                         {"mean_max_alpha", e.memories.mean_max_alpha},
                         {"mean_samples_needed", std::isnan(e.memories.mean_samples_to_reconstruct)
                                                     ? nlohmann::json(nullptr)
                                                     : nlohmann::json(e.memories.mean_samples_to_reconstruct)},
                         {"reconstructible", e.memories.reconstructible},
                         {"not_reconstructed", std::count(needed.begin(), needed.end(), -1)},
                         {"memories_per_label", e.memories_per_label}});
  }
  j["epochs"] = per_epoch;
  j["learning_order"] = order.ToString();
  nlohmann::json recognised = nlohmann::json::object();
  for (const auto& r : order.digits) recognised[std::to_string(r.digit)] = r.epoch_recognised;
  j["epoch_recognised"] = recognised;
  const double tau = kendall_tau(order, paper_learning_order());
  j["kendall_tau_vs_paper"] = std::isfinite(tau) ? nlohmann::json(tau) : nlohmann::json(nullptr);
  j["splits"] = describe_splits(splits);
  j["num_splits"] = splits.size();
  j["num_splits_within_digit"] = std::count_if(splits.begin(), splits.end(), [](const auto& e) { return e.within_digit(); });
  j["warnings"] = warnings;
  j["load_seconds"] = load_seconds;
  j["analysis_seconds"] = analysis_seconds;
  return j;
}

}  // namespace waddington
