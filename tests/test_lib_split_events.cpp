// Split events from alphabar trajectories (docs/model.md §1.3): groups by
// single linkage, a split when one group becomes several, the digits involved.
#include <catch2/catch.hpp>

#include "lib/errors.hpp"
#include "lib/split_events.hpp"

using namespace waddington;

namespace {

// Six memories in three classes: all together at epoch 0; at 10 memories 0-1
// leave towards class 0 and 2-5 towards a 1/2 mixture; at 20 memories 2-3 go
// to class 1 and 4-5 to class 2 (a second split); 0 and 1 stay together.
std::vector<Eigen::MatrixXd> trajectories() {
  Eigen::MatrixXd e0(6, 3), e10(6, 3), e20(6, 3);
  e0 << 0.10, 0.10, 0.10, 0.11, 0.10, 0.10, 0.10, 0.11, 0.10, 0.10, 0.10, 0.11, 0.11, 0.11, 0.10, 0.10, 0.10, 0.10;
  e10 << 0.9, 0.0, 0.0, 0.92, 0.0, 0.0, 0.0, 0.5, 0.5, 0.0, 0.52, 0.5, 0.0, 0.5, 0.52, 0.01, 0.5, 0.5;
  e20 << 1.0, 0.0, 0.0, 0.98, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.97, 0.02, 0.0, 0.0, 1.0, 0.0, 0.03, 0.96;
  return {e0, e10, e20};
}

}  // namespace

TEST_CASE("trajectory groups: single linkage within the distance", "[split_events][short]") {
  Eigen::MatrixXd a(4, 2);
  a << 0, 0, 0.08, 0, 0.16, 0, 1, 1;  // a chain 0-1-2 (steps 0.08) and a loner
  CHECK(trajectory_groups(a, 0.1) == std::vector<int>{0, 0, 0, 1});
  CHECK(trajectory_groups(a, 0.05) == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("split events: two successive splits and the digits involved", "[split_events][short]") {
  const std::vector<int> final_digits{0, 0, 1, 1, 2, 2};
  const auto events = find_splits({0, 10, 20}, trajectories(), final_digits);
  REQUIRE(events.size() == 2);
  CHECK(events[0].epoch_before == 0);
  CHECK(events[0].epoch == 10);
  CHECK(events[0].parent == std::vector<int>{0, 1, 2, 3, 4, 5});
  REQUIRE(events[0].children.size() == 2);
  CHECK(events[0].children[0].members == std::vector<int>{0, 1});
  CHECK(events[0].children[0].dominant_digit == 0);
  CHECK(events[0].children[0].final_digits == std::vector<int>{0});
  CHECK(events[0].children[1].members == std::vector<int>{2, 3, 4, 5});
  CHECK(events[0].children[1].final_digits == std::vector<int>{1, 2});
  CHECK_FALSE(events[0].within_digit());
  CHECK(events[1].epoch == 20);
  CHECK(events[1].parent == std::vector<int>{2, 3, 4, 5});
  REQUIRE(events[1].children.size() == 2);
  CHECK(events[1].children[0].dominant_digit == 1);
  CHECK(events[1].children[1].dominant_digit == 2);

  const std::string csv = splits_csv(events);
  CHECK(csv.rfind("split,epoch_before,epoch,parent_size,child,child_size,dominant_digit,final_digits,within_digit,members\n", 0) == 0);
  CHECK_THAT(csv, Catch::Contains("0,0,10,6,1,4,1,1 2,0,2 3 4 5\n"));
  CHECK(describe_splits(events) ==
        "epoch 0-10: 6 memories -> 4 (1; becomes 1 2) + 2 (0; becomes 0)\n"
        "epoch 10-20: 4 memories -> 2 (1; becomes 1) + 2 (2; becomes 2)\n");

  // At a distance larger than every gap all memories stay one group: no split.
  SplitOptions coarse;
  coarse.distance = 1.5;
  CHECK(find_splits({0, 10, 20}, trajectories(), final_digits, coarse).empty());
  // Prototypes of one digit separating are marked as such.
  const auto within = find_splits({0, 10}, {trajectories()[0], trajectories()[1]}, {0, 0, 0, 0, 0, 0});
  REQUIRE(within.size() == 1);
  CHECK(within[0].within_digit());
}

TEST_CASE("split events reject inconsistent input", "[split_events][short]") {
  const std::vector<int> final_digits{0, 0, 1, 1, 2, 2};
  CHECK_THROWS_AS(find_splits({0, 10}, trajectories(), final_digits), InputError);             // 2 epochs, 3 matrices
  CHECK_THROWS_AS(find_splits({0, 20, 10}, trajectories(), final_digits), InputError);         // not increasing
  CHECK_THROWS_AS(find_splits({0, 10, 20}, trajectories(), {0, 1}), InputError);               // K differs
  SplitOptions bad;
  bad.distance = 0;
  CHECK_THROWS_AS(find_splits({0, 10, 20}, trajectories(), final_digits, bad), InputError);
  CHECK(find_splits({}, {}, {}).empty());
}
