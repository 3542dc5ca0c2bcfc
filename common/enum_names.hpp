#pragma once
// One table of {value, name} per enum gives both its ToString and its
// FromString, so the two can never disagree. Header-only and dependent on
// nothing but the standard library: every layer (lib, continuation, reduced
// models) may include it without linking another layer.
//
//   constexpr EnumName<Color> kColorNames[] = {{Color::kRed, "red"}, {Color::kBlue, "blue"}};
//   const char* ToString(Color c) { return enum_to_string(kColorNames, c); }
//   bool FromString(const std::string& text, Color* c) { return enum_from_string(kColorNames, text, c); }
#include <cstddef>
#include <string_view>

namespace waddington {

template <class Enum>
struct EnumName {
  Enum value;
  const char* name;
};

// The name of `value` in `table`; "unknown" for a value missing from it.
template <class Enum, std::size_t N>
constexpr const char* enum_to_string(const EnumName<Enum> (&table)[N], Enum value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return "unknown";
}

// Sets *value to the entry named `text`; false (and *value untouched) when no entry has that name.
template <class Enum, std::size_t N>
constexpr bool enum_from_string(const EnumName<Enum> (&table)[N], std::string_view text, Enum* value) {
  for (const auto& entry : table)
    if (text == entry.name) {
      *value = entry.value;
      return true;
    }
  return false;
}

}  // namespace waddington
