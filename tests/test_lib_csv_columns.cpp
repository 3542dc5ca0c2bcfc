// lib/csv_columns.hpp: the parameters a table lacks become constant columns.
#include <catch2/catch.hpp>

#include "lib/csv_columns.hpp"

using waddington::with_parameter_columns;

TEST_CASE("csv parameter columns: appended when absent, kept when present, blank lines stay blank", "[short]") {
  CHECK(with_parameter_columns("alpha,ell\n0.5,0.25\n\n1,2\n", {{"n", 20}, {"T", 700}, {"Tr", 700.0 / 784}}) ==
        "alpha,ell,n,T,Tr\n0.5,0.25,20,700,0.8928571428571429\n\n1,2,20,700,0.8928571428571429\n");
  CHECK(with_parameter_columns("branch,n,T,Tr\n0,1,2,3\n", {{"n", 20}, {"T", 700}, {"Tr", 0.5}}) ==
        "branch,n,T,Tr\n0,1,2,3\n");  // already there: unchanged
  CHECK(with_parameter_columns("epoch,cost,n\n0,1,3\n", {{"n", 3}, {"T", 0.1}}) == "epoch,cost,n,T\n0,1,3,0.10000000000000001\n");
  CHECK(with_parameter_columns("", {{"n", 1}}).empty());
}
