#pragma once
// The feature-to-prototype transition line of docs/model.md §3.
//
// One memory on two samples of one class (intra-digit): a perfect mixture
// M = (A1 + A2)/2 has per-sample cost (1 - tanh(x^n))^(2m) with
// x = (A1.A1 + A1.A2) / (2T); a prototype costs about 0 on its sample and 1
// on the other, 1/2 on average. Equal costs give
//     T*(n) = (A1.A1 + A1.A2) / (2 artanh(1 - 2^(-1/(2m)))^(1/n)),
// T_r* = T*/N. Above the line (larger n or T) the memory is a prototype,
// below it a mixture. Inter-digit (two memories, samples or class means A, B
// of two classes): the memory of class B has T* = (B.B + A.B) / (...), the
// memory of class A has (A.A + A.B) / (...).
#include <optional>
#include <string>
#include <vector>

namespace waddington::reduced {

enum class TransitionKind {
  kIntra,  // one memory, two samples of the same class
  kInter,  // two memories, two samples (or class means) of two classes
};
const char* ToString(TransitionKind kind);
bool FromString(const std::string& text, TransitionKind* kind);

// artanh(1 - 2^(-1/(2m))): x^n of a mixture whose cost equals a prototype's.
// Evaluated without cancellation for large m. Throws InputError unless m > 0.
double transition_activation(double m);

// T*(n) = (self_overlap + cross_overlap) / (2 artanh(1 - 2^(-1/(2m)))^(1/n))
// (docs/model.md §3); m defaults to n. Throws InputError unless n > 0 and m > 0.
double prototype_transition_temperature(double self_overlap, double cross_overlap, double n,
                                        std::optional<double> m = {});

struct TransitionLinePoint {
  double n = 0;
  int memory = 1;  // intra: 1; inter: 1 = the memory of class A, 2 = of class B
  double T_star = 0;
  double Tr_star = 0;  // T_star / num_pixels
};

// The line at each n: intra uses A.A + A.B (A = the first sample), inter one
// point per memory (A.A + A.B for memory 1, B.B + A.B for memory 2).
std::vector<TransitionLinePoint> transition_line(TransitionKind kind, double AA, double AB, double BB,
                                                 const std::vector<double>& n_values, int num_pixels,
                                                 std::optional<double> m = {});

}  // namespace waddington::reduced
