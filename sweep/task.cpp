#include "sweep/task.hpp"

namespace waddington::sweep {

std::string ToString(CellStatus status) {
  switch (status) {
    case CellStatus::kPending: return "pending";
    case CellStatus::kOk: return "ok";
    case CellStatus::kFailed: return "failed";
  }
  return "unknown";
}

bool FromString(const std::string& text, CellStatus* status) {
  for (CellStatus s : {CellStatus::kPending, CellStatus::kOk, CellStatus::kFailed})
    if (text == ToString(s)) {
      *status = s;
      return true;
    }
  return false;
}

}  // namespace waddington::sweep
