// `waddington train`: trains the full network (docs/model.md §1) on images from a
// file (or synthetic digits) and writes the memories, labels, per-epoch
// metrics and run.json. Thin: config -> TrainingRunOptions -> run_training().
#include <Eigen/Core>
#include <fmt/format.h>

#include "apps/command.hpp"
#include "apps/progress.hpp"
#include "apps/registry.hpp"
#include "apps/vocabulary.hpp"
#include "lib/training_run.hpp"
#include "sweep/interrupt.hpp"

#include <filesystem>
#include <fstream>

namespace waddington::app {
namespace {

struct TrainConfig {
  TrainingRunOptions run;
  std::string sample = "first", bound = "normalize", format = "table";
  double m = 0, Tr = 0;
  int threads = 1;
  std::string resume;  // Eigen's threads for the matrix products: process-wide, so set here once, not by the library
};

// `train --resume DIR`: the options of the run in DIR, from its run.json.
TrainingRunOptions resumed_options(const std::string& dir, const CLI::App& cmd, int* threads) {
  for (const auto* option : cmd.get_options())
    if (option->count() > 0 && option->get_name() != "--resume" && option->get_name() != "--threads" &&
        option->get_name() != "--quiet")
      throw InputError(fmt::format("{} does not apply with --resume: the run continues with the options in its run.json",
                                   option->get_name()));
  const std::filesystem::path file = std::filesystem::path(dir) / "run.json";
  std::ifstream in(file);
  if (!in) throw InputError(fmt::format("--resume '{}': no run.json there", dir));
  nlohmann::json record;
  try {
    record = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    throw InputError(fmt::format("--resume '{}': run.json is not valid JSON", dir));
  }
  if (record.value("command", "") != "train") throw InputError(fmt::format("--resume '{}': not a train run", dir));
  if (record.value("status", "") == "complete")
    throw InputError(fmt::format("--resume '{}': the run is already complete", dir));
  if (!record.contains("parameters") || !record["parameters"].is_object() || record["parameters"].empty())
    throw InputError(fmt::format("--resume '{}': run.json has no parameters (the run stopped before training began)", dir));
  TrainingRunOptions o = TrainingRunOptions::FromJson(record["parameters"]);
  if (cmd.count("--threads") == 0 && record["parameters"].contains("threads")) *threads = record["parameters"]["threads"].get<int>();
  o.out = dir;
  o.resume = true;
  return o;
}

void run(TrainConfig c, const CLI::App& cmd) {
  if (!c.resume.empty()) c.run = resumed_options(c.resume, cmd, &c.threads);
  Command command("train", c.run.out);  // started through on_ready, once the inputs are read
  TrainingRunOptions& o = c.run;
  if (c.resume.empty()) {
    if (cmd.count("--m") > 0) o.trainer.m = c.m;
    if (cmd.count("--Tr") > 0) o.rescaled_temperature = c.Tr;
    if (!FromString(c.bound, &o.trainer.bound)) throw InputError(fmt::format("--bound '{}': expected normalize or clip", c.bound));
    if (c.sample != "first" && c.sample != "random") throw InputError(fmt::format("--sample '{}': expected first or random", c.sample));
    o.random_sample = c.sample == "random";
  }
  command.validate(o);
  if (c.format == "csv" && o.out.empty()) throw InputError("--format csv prints metrics.csv, which needs --out DIR");
  if (c.threads < 1 || c.threads > 1024) throw InputError(fmt::format("thread count {} must be in 1..1024", c.threads));
  Eigen::setNbThreads(c.threads);
  sweep::InterruptGuard interrupt;  // SIGINT/SIGTERM: finish the epoch, write everything, exit 130/143
  ProgressBar progress("train", o.trainer.epochs, "epochs");
  TrainingRunHooks hooks;
  bool first_epoch = true;
  hooks.on_epoch = [&](const EpochMetrics& m, const NetworkState&) {
    // A resumed run reports first the epoch after its checkpoint: the epochs before are not this run's work.
    if (first_epoch && !c.resume.empty()) progress.already_done(m.epoch - 1);
    first_epoch = false;
    progress.update(m.epoch, fmt::format("cost {:.4g} acc {:.3f}", m.cost, m.accuracy));
  };
  hooks.on_ready = [&](const nlohmann::json& parameters) {
    command.record().parameters() = parameters;  // in the "running" record too: a killed run can be resumed
    command.record().parameters()["threads"] = c.threads;
    command.start();
    command.writing();
  };
  hooks.stop = &interrupt.flag();
  const auto summary = run_training(o, hooks);
  progress.finish();
  for (const auto& input : summary.inputs) command.record().add_input_file(input.role, input.path);
  for (const char* file : {"memories.npy", "labels.npy", "metrics.csv", "checkpoint.npz"}) command.add_output(file);
  for (int e : summary.saved_epochs)
    for (const char* file : {"memories.npy", "labels.npy"}) command.add_output(fmt::format("epoch_{}/{}", e, file));
  if (!summary.saved_epochs.empty()) command.add_output("snapshots.npz");
  command.time("load_seconds", summary.load_seconds);
  command.time("train_seconds", summary.training.training_seconds);
  print_result(c.format, summary.BriefReport(), c.format == "csv" ? read_output(o.out, "metrics.csv") : "", summary.ToJson());
  nlohmann::json parameters = summary.parameters;
  parameters["threads"] = c.threads;
  if (!c.resume.empty()) command.record().json()["resumed_from_epoch"] = summary.resumed_from_epoch;
  command.warn(summary.warnings);
  if (summary.termination == TrainerTermination::kInterrupted) {
    command.close(parameters, summary.ToJson());
    throw Interrupted(fmt::format("{}; '{}' holds a consistent incomplete run (run.json \"status\": \"interrupted\"), "
                                  "continue it with: waddington train --resume {}",
                                  summary.training.message, o.out.empty() ? "(no --out)" : o.out, o.out),
                      interrupt.signal_number());
  }
  command.close(parameters, summary, "the training run is incomplete");
}

const Registrar registrar(10, [](CLI::App& app) {
  auto config = std::make_shared<TrainConfig>();
  TrainConfig& c = *config;
  TrainingRunOptions& r = c.run;
  TrainerOptions& o = c.run.trainer;
  auto* cmd = app.add_subcommand("train", "Train the full network (docs/model.md §1) on images or synthetic digits");
  cmd->add_option("--images", r.images, "Training images: .npy (S,N)/(1,S,N) or MNIST IDX (gzip or raw)");
  cmd->add_flag("--synthetic", r.synthetic, "Train on synthetic +-1 seven-segment digits instead of --images");
  cmd->add_option("--labels", r.labels, "Labels: IDX/.npy file, or blocks:K (consecutive blocks of K per class)");
  cmd->add_option("--test-images", r.test_images, "Held-out images for the test accuracy");
  cmd->add_option("--test-labels", r.test_labels, "Labels of --test-images (file or blocks:K)");
  cmd->add_option("--test-every", o.test_every, "Measure the test accuracy every E epochs (0: at the end only)")->capture_default_str();
  cmd->add_option("--digits", r.digits, "Classes to train on, e.g. 1,4 or 0:9 (default: all)");
  cmd->add_option("--per-class", r.per_class, "Samples per class (0: all; synthetic default 20)")->capture_default_str();
  cmd->add_option("--sample", c.sample, "Which samples per class: first or random")->capture_default_str();
  cmd->add_option("--sample-seed", r.sample_seed, "Seed of --sample random")->capture_default_str();
  cmd->add_option("--memories", o.memories, "Number of memories K")->capture_default_str();
  cmd->add_option("--n", o.n, "Power n of F(x) = max(x,0)^n (real)")->capture_default_str();
  cmd->add_option("--m", c.m, "Cost power m (default: m = n)");
  auto* t = cmd->add_option("--T", o.temperature, "Temperature T")->capture_default_str();
  cmd->add_option("--Tr", c.Tr, "Rescaled temperature T_r = T/N (instead of --T)")->excludes(t);
  cmd->add_option("--rate", o.rate, "Learning rate")->capture_default_str();
  cmd->add_option("--momentum", o.momentum, "Momentum in [0,1)")->capture_default_str();
  cmd->add_option("--epochs", o.epochs, "Number of epochs")->capture_default_str();
  cmd->add_option("--minibatch", o.minibatch, "Samples per minibatch (0: the whole training set)")->capture_default_str();
  cmd->add_option("--init-mean", o.init_mean, "Mean of the Gaussian initial memories and labels")->capture_default_str();
  cmd->add_option("--init-std", o.init_std, "Standard deviation of the initial memories and labels")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Seed of the initial state (and of the synthetic digits and noise)")->capture_default_str();
  cmd->add_option("--init-memories", r.init_memories, "Initial memories (K x N .npy) instead of Gaussian");
  cmd->add_option("--init-labels", r.init_labels, "Initial labels (K x C .npy) instead of Gaussian");
  cmd->add_option("--bound", c.bound, "Memory bound: normalize or clip")->capture_default_str();
  cmd->add_option("--noise", o.noise_std, "Std of Gaussian noise added to M and l after each step")->capture_default_str();
  cmd->add_option("--save-epochs", r.save_epochs,
                  "Epochs whose state is saved to DIR/epoch_E/: a list 0,1000,3000, a range A:B (every epoch), or every "
                  "S-th A:B:S (0:3000:100); at most 1000 snapshots (each holds all memories) unless --no-snapshot-cap");
  cmd->add_flag("--no-snapshot-cap", r.no_snapshot_cap, "Allow --save-epochs to save more than 1000 snapshots");
  cmd->add_option("--threads", c.threads, "Threads for the matrix products")->capture_default_str();
  add_format_option(cmd, c.format, "metrics.csv, needs --out");
  cmd->add_option("--out", r.out, "Output directory (memories.npy, labels.npy, metrics.csv, checkpoint.npz, run.json; "
                                  "see docs/outputs.md)");
  cmd->add_option("--resume", c.resume,
                  "Continue the stopped run in DIR from its checkpoint.npz, with the options in its run.json (only "
                  "--threads may be given too); ends in the state an uninterrupted run reaches");
  cmd->callback([config, cmd] { run(*config, *cmd); });
});

}  // namespace
}  // namespace waddington::app
