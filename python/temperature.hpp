#pragma once
// The effective temperature the CLI states above every reduced-model table and
// in its summaries, and the parameter columns of its CSVs: the same functions
// the CLI uses (reduced_models/temperature_text.hpp).
#include "reduced_models/temperature_text.hpp"

namespace waddington::python {

using reduced::parameter_columns;
using reduced::temperature_json;
using reduced::temperature_line;

}  // namespace waddington::python
