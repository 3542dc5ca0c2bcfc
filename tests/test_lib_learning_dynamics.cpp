// The learning order (docs/model.md §1.3) from per-epoch recognition counts, the
// metrics.csv reader, and Kendall's tau-b.
#include <catch2/catch.hpp>

#include <cmath>

#include "lib/errors.hpp"
#include "lib/learning_dynamics.hpp"
#include "lib/metrics_table.hpp"

using namespace waddington;

namespace {

// Four classes of 10 samples; class 3 is not trained on (0 samples).
RecognitionHistory four_classes() {
  RecognitionHistory h;
  h.class_counts = {10, 10, 10, 0};
  h.epochs = {0, 10, 20, 30, 40};
  h.correct = {{0, 0, 0, 0},   //
               {0, 6, 0, 0},   // class 1 recognised from epoch 10 on
               {5, 7, 9, 0},   // class 0 reaches 5 = half at 20 but drops at 30
               {4, 8, 9, 0},   //
               {6, 9, 10, 0}};  // class 0 recognised (for good) only at 40; class 2 from 20
  h.predicted = {{0, 30, 0, 0},  // everything answered "1": recall of 1 is 0 here only because nothing is correct yet
                 {0, 12, 18, 0},  // precision of 1: 6 / 12, just enough
                 {8, 10, 12, 0},
                 {5, 12, 13, 0},
                 {7, 11, 12, 0}};
  return h;
}

}  // namespace

TEST_CASE("the learning order: first epoch from which a digit stays recognised", "[learning_dynamics][short]") {
  const LearningOrder order = learning_order(four_classes());
  REQUIRE(order.digits.size() == 3);  // the untrained class 3 is left out
  CHECK(order.find(3) == nullptr);
  CHECK(order.find(1)->epoch_recognised == 10);
  CHECK(order.find(2)->epoch_recognised == 20);
  CHECK(order.find(0)->epoch_recognised == 40);  // the dip at epoch 30 resets it
  CHECK(order.find(1)->rank == 1);
  CHECK(order.find(2)->rank == 2);
  CHECK(order.find(0)->rank == 3);
  CHECK(order.sequence() == std::vector<int>{1, 2, 0});
  CHECK(order.ToString() == "1 | 2 | 0");
  CHECK(order_csv(order) == "digit,epoch_recognised,rank\n0,40,3\n1,10,1\n2,20,2\n");

  // A stricter criterion: class 0 never reaches 9 of 10; ties share a rank.
  LearningOrderOptions strict;
  strict.fraction = 0.9;
  const LearningOrder late = learning_order(four_classes(), strict);
  CHECK(late.find(0)->epoch_recognised == -1);
  CHECK(late.find(0)->rank == 3);
  CHECK(late.find(1)->epoch_recognised == 40);
  CHECK(late.find(2)->epoch_recognised == 20);
  CHECK(late.ToString() == "2 | 1 | never: 0");
}

TEST_CASE("a network answering one digit for every sample recognises nothing", "[learning_dynamics][short]") {
  // After one epoch of training every label points to 1: each sample is classified
  // as 1, so all the 1s are "correct" (recall 1) while only a third of the answers are right.
  RecognitionHistory h;
  h.class_counts = {10, 10, 10};
  h.epochs = {0, 1, 2, 3};
  h.correct = {{0, 0, 0}, {0, 10, 0}, {0, 10, 0}, {0, 10, 0}};
  h.predicted = {{0, 0, 30}, {0, 30, 0}, {0, 30, 0}, {0, 30, 0}};
  const LearningOrder order = learning_order(h);
  CHECK(order.find(1)->epoch_recognised == -1);
  CHECK(order.ToString() == "never: 0 1 2");
  // Recall alone (precision 0, the former criterion) is fooled: 1 "learnt" at epoch 1.
  LearningOrderOptions recall_only;
  recall_only.precision = 0;
  CHECK(learning_order(h, recall_only).find(1)->epoch_recognised == 1);
  CHECK(learning_order(h, recall_only).ToString() == "1 | never: 0 2");
  // Once the network also tells the 0s apart, half of its "1" answers are right (15 of 30 -> 10 of 20): recognised.
  h.epochs.push_back(4);
  h.correct.push_back({10, 10, 0});
  h.predicted.push_back({10, 20, 0});
  CHECK(learning_order(h).ToString() == "0 1 | never: 2");
  CHECK(learning_order(h).find(1)->epoch_recognised == 4);
  // The criterion at one epoch.
  CHECK(is_recognised(5, 10, 10, {}));
  CHECK_FALSE(is_recognised(5, 11, 10, {}));  // precision 5/11 < 0.5
  CHECK_FALSE(is_recognised(4, 4, 10, {}));   // recall 4/10 < 0.5
  CHECK_FALSE(is_recognised(0, 0, 0, {}));    // a class without samples
}

TEST_CASE("the learning order rejects inconsistent histories and options", "[learning_dynamics][short]") {
  RecognitionHistory h = four_classes();
  h.correct[2][1] = 11;  // more correct samples than the class has
  CHECK_THROWS_AS(learning_order(h), InputError);
  h = four_classes();
  h.epochs[2] = 10;  // not increasing
  CHECK_THROWS_AS(learning_order(h), InputError);
  h = four_classes();
  h.correct[1].pop_back();  // ragged
  CHECK_THROWS_AS(learning_order(h), InputError);
  h = four_classes();
  h.predicted[1][1] = 5;  // fewer samples predicted as 1 than correctly classified 1s
  CHECK_THROWS_AS(learning_order(h), InputError);
  h = four_classes();
  h.predicted.pop_back();  // a row of predicted counts missing
  CHECK_THROWS_AS(learning_order(h), InputError);
  LearningOrderOptions bad;
  bad.fraction = 0;
  CHECK_THROWS_AS(learning_order(four_classes(), bad), InputError);
  bad = {};
  bad.precision = 1.5;
  CHECK_THROWS_AS(learning_order(four_classes(), bad), InputError);
  CHECK_THROWS_AS(order_from_groups({{1, 2}, {2}}), InputError);
}

TEST_CASE("Kendall's tau-b of learning orders", "[learning_dynamics][short]") {
  const LearningOrder paper = paper_learning_order();
  CHECK(paper.ToString() == "1 4 9 | 7 | 5 6 | 3 8 | 0 2");
  CHECK(paper.find(7)->rank == 4);
  CHECK(paper.find(0)->rank == 9);
  CHECK(kendall_tau(paper, paper) == Approx(1.0));
  const LearningOrder reversed = order_from_groups({{0, 2}, {3, 8}, {5, 6}, {7}, {1, 4, 9}});
  CHECK(kendall_tau(paper, reversed) == Approx(-1.0));
  // Strict orders: one swapped adjacent pair among 4 items: (6 - 2) / 6.
  CHECK(kendall_tau_b({1, 2, 3, 4}, {1, 3, 2, 4}) == Approx(4.0 / 6.0));
  // tau-b with ties: x = (1,1,2), y = (1,2,3): C = 2, D = 0, n0 = 3, tied x = 1 -> 2 / sqrt(2 * 3).
  CHECK(kendall_tau_b({1, 1, 2}, {1, 2, 3}) == Approx(2.0 / std::sqrt(6.0)));
  CHECK(std::isnan(kendall_tau_b({1, 1}, {1, 2})));
  CHECK(std::isnan(kendall_tau_b({1}, {1})));
  CHECK_THROWS_AS(kendall_tau_b({1, 2}, {1}), InputError);
  // Only common digits count.
  const LearningOrder three = order_from_groups({{1}, {4}, {7}});
  // ranks (1,2,3) against the paper's (1,1,4) for digits 1,4,7: C = 2, D = 0, one tie in the paper.
  CHECK(kendall_tau(three, paper) == Approx(2.0 / std::sqrt(6.0)));
}

TEST_CASE("metrics.csv reads back into a recognition history", "[learning_dynamics][short]") {
  const std::string text =
      "epoch,cost,accuracy,test_accuracy,correct_0,correct_1,memories_0,memories_1,predicted_0,predicted_1\n"
      "0,1.5,0,,0,0,2,0,2,2\n"
      "1,1.25,0.5,0.25,0,2,1,1,0,4\n"
      "2,1,1,,2,2,1,1,2,2\n";
  const MetricsTable table = parse_metrics_csv(text);
  CHECK(table.predicted[1] == std::vector<int>{0, 4});
  CHECK(table.epochs == std::vector<int>{0, 1, 2});
  CHECK(table.num_classes() == 2);
  CHECK(table.cost[1] == 1.25);
  CHECK(table.correct[1] == std::vector<int>{0, 2});
  CHECK(table.memories[0] == std::vector<int>{2, 0});
  const LearningOrder order = learning_order(recognition_history(table, {2, 2}));
  CHECK(order.find(1)->epoch_recognised == 1);  // 2 of 4 answers "1" right at epoch 1: precision 0.5
  CHECK(order.find(0)->epoch_recognised == 2);
  CHECK_THROWS_AS(recognition_history(table, {2, 2, 2}), InputError);

  // A metrics.csv of an older version (no predicted_d columns) reads, but gives no learning order.
  const MetricsTable old = parse_metrics_csv(
      "epoch,cost,accuracy,test_accuracy,correct_0,correct_1,memories_0,memories_1\n0,1.5,0,,0,0,2,0\n");
  CHECK_FALSE(old.has_predicted());
  CHECK_THROWS_WITH(recognition_history(old, {2, 2}), Catch::Contains("no predicted_0"));
  // Predicted counts: all or none, never below the correct ones.
  CHECK_THROWS_AS(parse_metrics_csv("epoch,cost,accuracy,correct_0,correct_1,memories_0,memories_1,predicted_0\n"
                                    "0,1,0,0,0,1,1,0\n"),
                  InputError);
  CHECK_THROWS_AS(parse_metrics_csv("epoch,cost,accuracy,correct_0,memories_0,predicted_0\n0,1,0,2,1,1\n"), InputError);

  CHECK_THROWS_AS(parse_metrics_csv(""), InputError);
  CHECK_THROWS_AS(parse_metrics_csv("epoch,cost\n0,1\n"), InputError);
  CHECK_THROWS_AS(parse_metrics_csv("epoch,cost,accuracy,correct_0,memories_0\n"), InputError);  // no rows
  CHECK_THROWS_AS(parse_metrics_csv("epoch,cost,accuracy,correct_0,memories_0\n0,1,0,x,1\n"), InputError);
  CHECK_THROWS_AS(parse_metrics_csv("epoch,cost,accuracy,correct_0,memories_0\n0,1,0,1\n"), InputError);
  CHECK_THROWS_AS(parse_metrics_csv("epoch,cost,accuracy,correct_0,memories_0\n1,1,0,1,1\n1,1,0,1,1\n"), InputError);
  CHECK_THROWS_AS(parse_metrics_csv("epoch,cost,accuracy,correct_0,memories_0\n0,1,0,-1,1\n"), InputError);
  CHECK_THROWS_AS(read_metrics_csv("/nonexistent/metrics.csv"), InputError);
}
