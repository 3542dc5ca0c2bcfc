#pragma once
// The inputs of the Figure 6 experiment (compare/transition_verify.hpp): its
// two samples taken from an image file, and its (n, T_r) grid.
#include <Eigen/Dense>

#include <string>
#include <vector>

#include "compare/transition_verify.hpp"
#include "lib/training_run.hpp"
#include "sweep/grid.hpp"

namespace waddington::compare {

// The two samples: rows `pair` of `images`, or the means of the classes
// `class_means` (which needs `labels`); exactly one of the two is given (two
// numbers). Their classes come from `labels` when given; without labels they
// are 0 and 0 (intra) or 0 and 1 (inter), which does not change the
// dynamics (every class is treated alike). Intra needs one class, inter two.
// `source` names the file in messages and in the description. Throws InputError.
TransitionExperiment select_transition_samples(reduced::TransitionKind kind, const Eigen::MatrixXd& images,
                                               const std::vector<int>& labels, const std::vector<int>& pair,
                                               const std::vector<int>& class_means, const std::string& source);

// The experiment as the CLI gives it: `images` read (.npy or IDX), `labels` (a
// file or "blocks:K"; empty: none) read when given, and the samples selected by
// `pair` or `class_means` (integer lists "I,J"; empty: not given) as in
// select_transition_samples. The files read are appended to `inputs` (images,
// then labels unless "blocks:K"). Throws InputError.
TransitionExperiment load_transition_experiment(reduced::TransitionKind kind, const std::string& images,
                                                const std::string& labels, const std::string& pair,
                                                const std::string& class_means, std::vector<InputFile>* inputs);

// The grid of the experiment: axis n from `n_spec` (a list a,b,c or a range
// A:B:STEP) and axis Tr from `Tr_range` "A:B" with step `Tr_step`, both
// inclusive (sweep/grid.hpp). Throws InputError.
sweep::Grid transition_grid(const std::string& n_spec, const std::string& Tr_range, double Tr_step);
// The same with n from `n_list` (a list a,b,c; a range is refused) when given,
// else from `n_range` (A:B:STEP).
sweep::Grid transition_grid(const std::string& n_list, const std::string& n_range, const std::string& Tr_range,
                            double Tr_step);

}  // namespace waddington::compare
