// `waddington memories RUN_DIR`: pictures of a train run's memories, one
// 28x28 tile per memory on a blue-white-red map centred on 0, labelled with
// its dominant digit (argmax of its label vector); --animate draws every saved
// epoch and an animated GIF. Thin: saved state -> plots/memory_grid.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "apps/command.hpp"
#include "apps/progress.hpp"
#include "apps/registry.hpp"
#include "lib/atomic_file.hpp"
#include "lib/saved_run.hpp"
#include "plots/memory_grid.hpp"

namespace waddington::app {
namespace {

struct MemoriesConfig {
  std::string run_dir, plot, animate;
  int epoch = -1;    // -1: the final state
  int columns = 0;
  std::string sort = "label";
};

std::vector<int> dominant_labels(const NetworkState& state) {
  std::vector<int> out(std::size_t(state.num_memories()));
  for (Eigen::Index mu = 0; mu < state.num_memories(); ++mu) {
    Eigen::Index best = 0;
    state.labels.row(mu).maxCoeff(&best);
    out[std::size_t(mu)] = int(best);
  }
  return out;
}

// Memory indices ordered by `key` (stable: index order within a key), or as stored.
std::vector<int> tile_order(const std::vector<int>& key, bool sorted) {
  std::vector<int> order(key.size());
  std::iota(order.begin(), order.end(), 0);
  if (sorted) std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key[std::size_t(a)] < key[std::size_t(b)]; });
  return order;
}

plots::MemoryGridFrame frame(const SavedRun& run, int epoch, const std::vector<int>& order) {
  const NetworkState state = load_saved_state(run, epoch);
  if (std::size_t(state.num_memories()) != order.size())
    throw InputError(fmt::format("epoch {} has {} memories, not {}", epoch, state.num_memories(), order.size()));
  const std::vector<int> labels = dominant_labels(state);
  plots::MemoryGridFrame f;
  f.title = fmt::format("memories at epoch {} (n = {}, T_r = {:.3g}); tile label = dominant digit", epoch,
                        run.record["parameters"].value("n", 0.0), run.record["parameters"].value("Tr", 0.0));
  f.memories.resize(state.memories.rows(), state.memories.cols());
  for (std::size_t i = 0; i < order.size(); ++i) {
    f.memories.row(Eigen::Index(i)) = state.memories.row(order[i]);
    f.tile_labels.push_back(labels[std::size_t(order[i])]);
  }
  return f;
}

void run(const MemoriesConfig& c) {
  if (c.plot.empty() && c.animate.empty()) throw InputError("give --plot FILE and/or --animate DIR");
  if (c.sort != "label" && c.sort != "index") throw InputError(fmt::format("--sort '{}': expected label or index", c.sort));
  if (c.columns < 0 || c.columns > 1000) throw InputError(fmt::format("--columns {} must be in 0..1000", c.columns));
  Command command("memories", c.animate, {c.plot});
  const SavedRun run = open_saved_run(c.run_dir);
  const int epoch = c.epoch < 0 ? run.final_epoch : c.epoch;
  const bool sorted = c.sort == "label";
  plots::MemoryGridOptions grid;
  grid.columns = c.columns;
  grid.limit = 1;  // memories are bounded by 1 (docs/model.md §1.1, step 7): one colour scale for every picture
  nlohmann::json summary = {{"complete", true}};
  if (!c.plot.empty()) {
    // Tiles ordered by the dominant digit at the epoch shown.
    const std::vector<int> order = tile_order(dominant_labels(load_saved_state(run, epoch)), sorted);
    plots::plot_memory_grid(c.plot, {frame(run, epoch, order)}, grid);
    fmt::print("wrote {} (epoch {}, {} memories)\n", c.plot, epoch, order.size());
    summary["plot"] = c.plot;
  }
  if (!c.animate.empty()) {
    command.start();
    const std::filesystem::path dir = c.animate;
    // Tiles keep one place in every frame: ordered by the dominant digit at the last epoch.
    const std::vector<int> epochs = run.state_epochs();
    const std::vector<int> order = tile_order(dominant_labels(load_saved_state(run, epochs.back())), sorted);
    std::vector<plots::MemoryGridFrame> frames;
    ProgressBar progress("memories", long(epochs.size()) + 1);
    for (std::size_t i = 0; i < epochs.size(); ++i) {
      plots::MemoryGridFrame f = frame(run, epochs[i], order);
      f.data_file = dir / fmt::format("memories_epoch_{}.dat", epochs[i]);
      plots::plot_memory_grid(dir / fmt::format("memories_epoch_{}.png", epochs[i]), {f}, grid);
      frames.push_back(std::move(f));
      progress.update(long(i + 1), fmt::format("epoch {}", epochs[i]));
    }
    plots::plot_memory_grid(dir / "memories.gif", frames, grid);
    progress.finish();
    fmt::print("wrote {}: memories_epoch_E.png for E in {} and memories.gif ({} frames)\n", dir.string(),
               fmt::join(epochs, ","), frames.size());
    summary["frames"] = epochs;
  }
  nlohmann::json parameters = {{"run_dir", c.run_dir}, {"epoch", epoch}, {"plot", c.plot}, {"animate", c.animate},
                               {"columns", c.columns}, {"sort", c.sort}, {"colour_limit", grid.limit}};
  command.close(parameters, summary);
}

const Registrar registrar(13, [](CLI::App& app) {
  auto config = std::make_shared<MemoriesConfig>();
  MemoriesConfig& c = *config;
  auto* cmd = app.add_subcommand("memories", "Pictures of a train run's memories (grid of images, animated GIF)");
  cmd->add_option("RUN_DIR", c.run_dir, "Folder of a finished `train --out` run")->required();
  cmd->add_option("--epoch", c.epoch, "Saved epoch to draw (default: the final state)");
  cmd->add_option("--plot", c.plot, "Picture of the memories at --epoch (.png, .svg, .pdf)");
  cmd->add_option("--animate", c.animate, "Folder for one picture per saved epoch and memories.gif (and run.json)");
  cmd->add_option("--columns", c.columns, "Tiles per row (0: about sqrt(K))")->capture_default_str();
  cmd->add_option("--sort", c.sort, "Tile order: label (by dominant digit) or index")->capture_default_str();
  cmd->callback([config] { run(*config); });
});

}  // namespace
}  // namespace waddington::app
