// The sweep's grid spec: lists, inclusive ranges with float steps, cell ids,
// and one-line errors for bad specs.
#include <catch2/catch.hpp>

#include <string>

#include "lib/errors.hpp"
#include "sweep/grid.hpp"

using waddington::InputError;
using namespace waddington::sweep;

namespace {

// The InputError message of parsing `texts` as a grid ("" when none).
std::string grid_error(const std::vector<std::string>& texts) {
  try {
    Grid::Parse(texts);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("grid: lists and inclusive ranges", "[short]") {
  CHECK(parse_axis("n=2,3,5").values == std::vector<double>{2, 3, 5});
  CHECK(parse_axis(" n = 5, 3 ,2 ").values == std::vector<double>{5, 3, 2});  // order kept, spaces ignored
  CHECK(parse_axis("n=1:60:1").values.size() == 60);
  CHECK(parse_axis("n=1:60:1").values.back() == 60);
  CHECK(parse_axis("x=-1:1:0.5").values == std::vector<double>{-1, -0.5, 0, 0.5, 1});
  CHECK(parse_axis("x=3:3:1").values == std::vector<double>{3});
  CHECK(parse_axis("x=0:1:0.3").values == std::vector<double>{0, 0.3, 0.6, 0.9});  // B not on the grid: stops below
  CHECK(parse_axis("x=1e-3,2.5E2").values == std::vector<double>{0.001, 250});
}

TEST_CASE("grid: float steps reach the end and print as written", "[short]") {
  // 0.5 + 20 * 0.05 is 1.5000000000000002 in floating point; the range still
  // has 21 values, ends at 1.5 and every value is the decimal it stands for.
  const Axis Tr = parse_axis("Tr=0.5:1.5:0.05");
  REQUIRE(Tr.values.size() == 21);
  CHECK(Tr.values.back() == 1.5);
  CHECK(Tr.values[1] == 0.55);
  CHECK(format_value(Tr.values[1]) == "0.55");
  CHECK(format_value(Tr.values[3]) == "0.65");
  const Axis fine = parse_axis("x=0:0.3:0.1");
  CHECK(fine.values == std::vector<double>{0, 0.1, 0.2, 0.3});
  CHECK(parse_axis("x=0.1:0.7:0.1").values.size() == 7);
  CHECK(parse_axis("x=1:2:0.001").values.size() == 1001);
  CHECK(parse_axis("x=0:1e-2:1e-3").values.back() == 0.01);
  CHECK(format_value(1) == "1");
  CHECK(format_value(0.1 + 0.2) == "0.30000000000000004");  // a value not from a spec is kept exactly
}

TEST_CASE("grid: cells are the Cartesian product, the first axis slowest", "[short]") {
  const Grid grid = Grid::Parse({"n=1:3:1", "Tr=0.5,0.6"});
  REQUIRE(grid.size() == 6);
  CHECK(grid.cell(0).values == std::vector<double>{1, 0.5});
  CHECK(grid.cell(1).values == std::vector<double>{1, 0.6});
  CHECK(grid.cell(2).values == std::vector<double>{2, 0.5});
  CHECK(grid.cell(5).values == std::vector<double>{3, 0.6});
  CHECK(grid.parameters(3) == std::map<std::string, double>{{"n", 2}, {"Tr", 0.6}});
  CHECK(grid.Describe() == "n=1:3:1 Tr=0.5,0.6");
}

TEST_CASE("grid: bad specs are one-line errors naming the problem", "[short]") {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{""}, "expected NAME=LIST or NAME=A:B:STEP"},
      {{"n"}, "expected NAME=LIST or NAME=A:B:STEP"},
      {{"n="}, "no values"},
      {{"=1,2"}, "the name must be"},
      {{"n=1,,3"}, "empty value"},
      {{"n=5:1:1"}, "inverted range, start 5 is above end 1"},
      {{"n=1:5:0"}, "step 0 must be positive"},
      {{"n=1:5:-1"}, "step -1 must be positive"},
      {{"n=1:5"}, "expected A:B:STEP"},
      {{"n=1:5:1:2"}, "expected A:B:STEP"},
      {{"n=a,b"}, "'a' is not a finite number"},
      {{"n=1:x:1"}, "'x' is not a finite number"},
      {{"n=1,nan"}, "'nan' is not a finite number"},
      {{"n=2,2"}, "value 2 repeated"},
      {{"n=1:2:1e-9"}, "more than"},
      {{"n=1,2", "n=3"}, "parameter 'n' given twice"},
      {{}, "no parameters"},
      {{"a=1:1000:1", "b=1:1000:1", "c=1:1000:1"}, "more than 10000000"},
  };
  for (const auto& [texts, fragment] : cases) {
    const std::string message = grid_error(texts);
    INFO("grid " << (texts.empty() ? std::string("(none)") : texts[0]) << " -> " << message);
    CHECK_THAT(message, Catch::Contains(fragment));
    CHECK(message.find('\n') == std::string::npos);
  }
}
