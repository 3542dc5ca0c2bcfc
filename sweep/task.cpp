#include "sweep/task.hpp"

#include "common/enum_names.hpp"

namespace waddington::sweep {

namespace {
constexpr EnumName<CellStatus> kStatusNames[] = {
    {CellStatus::kPending, "pending"}, {CellStatus::kOk, "ok"}, {CellStatus::kFailed, "failed"}};
}  // namespace

std::string ToString(CellStatus status) { return enum_to_string(kStatusNames, status); }
bool FromString(const std::string& text, CellStatus* status) { return enum_from_string(kStatusNames, text, status); }

}  // namespace waddington::sweep
