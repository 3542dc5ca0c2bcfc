#pragma once
// The files and tables of the reduced-model layer, written one way whoever
// writes them (the CLI, experiments, a future Python module). Each function
// returns the text; writing it is the caller's (lib/atomic_file.hpp).
#include <nlohmann/json.hpp>

#include <string>

#include "reduced_models/nullclines.hpp"
#include "reduced_models/trajectory.hpp"

namespace waddington::reduced {

// nullclines.csv: "curve,nullcline,on_bound,point,alpha,ell", one row per point;
// curves numbered memory first, then label.
std::string nullclines_csv(const Nullclines& nullclines);
// {"memory": [{on_bound, points: [[alpha, ell], ...]}, ...], "label": [...], "dead_regions": [[min, max], ...]}.
nlohmann::json nullclines_json(const Nullclines& nullclines);
// One line: the number of memory and label curves (label ones on the bounds) and of dead regions.
std::string nullclines_brief(const Nullclines& nullclines);
// The counts for a run record: memory_curves, label_curves.
nlohmann::json nullclines_summary_json(const Nullclines& nullclines);

// trajectory.csv: "t,epoch,alpha,ell" (or alpha_1,ell_1,... for K memories),
// one row per sample; epoch = t / rate.
std::string trajectory_csv(const TrajectoryResult& trajectory, double rate);

}  // namespace waddington::reduced
