#pragma once
// Split events of a training run (docs/model.md §1.3): memories that follow
// the same trajectory in alphabar coordinates (§1.2) form a group; a split is
// a group at one saved epoch whose memories belong to two or more groups at
// the next saved epoch.
#include <Eigen/Dense>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace waddington {

struct SplitOptions {
  // Two memories are together at an epoch when their alphabar vectors (one
  // entry per class) are within this Euclidean distance; groups are the
  // connected components of that relation (single linkage).
  double distance = 0.1;
  bool IsValid(std::string* why) const;
  nlohmann::json ToJson() const { return {{"split_distance", distance}}; }
};

struct SplitChild {
  std::vector<int> members;         // memory indices, increasing
  int dominant_digit = -1;          // argmax of the members' mean alphabar at the split epoch
  std::vector<int> final_digits;    // distinct final dominant digits of the members, increasing
};

struct SplitEvent {
  int epoch_before = 0;             // the last saved epoch at which the parent was one group
  int epoch = 0;                    // the first saved epoch at which it is several
  std::vector<int> parent;          // memory indices, increasing
  std::vector<SplitChild> children; // by smallest member
  // Every child ends as the same single digit: prototypes of one digit
  // separating, not a decision between digits.
  bool within_digit() const;
};

// The group of each memory (rows of `alphabar`, K x C) at one epoch, numbered
// 0, 1, ... in order of each group's smallest member.
std::vector<int> trajectory_groups(const Eigen::MatrixXd& alphabar, double distance);

// Split events between consecutive saved epochs. `alphabar[e]` is K x C at
// `epochs[e]` (increasing); `final_digits[mu]` is memory mu's digit at the end
// (e.g. its dominant label), used to name what each child becomes.
// Throws InputError when the shapes disagree or the options are invalid.
std::vector<SplitEvent> find_splits(const std::vector<int>& epochs, const std::vector<Eigen::MatrixXd>& alphabar,
                                    const std::vector<int>& final_digits, const SplitOptions& options = {});

// splits.csv: "split,epoch_before,epoch,parent_size,child,child_size,
// dominant_digit,final_digits,within_digit,members", one row per child;
// final_digits and members are space-separated lists, within_digit is 0 or 1.
std::string splits_csv(const std::vector<SplitEvent>& events);

// One line per event, the children largest first:
// "epoch 950-1000: 100 memories -> 60 (1; becomes 1) + 40 (9; becomes 4 7 9)"
// (size, dominant digit at the split, final digits); beyond `max_children`
// the rest is summed up as "+ k more groups of m memories".
std::string describe_splits(const std::vector<SplitEvent>& events, std::size_t max_children = 6);

}  // namespace waddington
