#include "kazmig/core/provenance.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

#include "kazmig/core/error.h"

namespace kazmig {

Provenance Provenance::Official(std::string source, std::string detail) {
  return {Kind::kOfficial, std::move(source), std::move(detail)};
}

Provenance Provenance::Estimated(std::string method, std::string detail) {
  return {Kind::kEstimated, std::move(method), std::move(detail)};
}

std::string_view Provenance::KindName() const {
  return kind == Kind::kOfficial ? "official" : "estimated";
}

std::string Provenance::ToString() const {
  std::string out(KindName());
  out += ": ";
  out += source;
  if (!detail.empty()) {
    out += " (";
    out += detail;
    out += ')';
  }
  return out;
}

Provenance Provenance::Parse(std::string_view text) {
  Provenance p;
  std::string_view rest;
  if (text.starts_with("official: ")) {
    p.kind = Kind::kOfficial;
    rest = text.substr(10);
  } else if (text.starts_with("estimated: ")) {
    p.kind = Kind::kEstimated;
    rest = text.substr(11);
  } else {
    throw InputError(
        "provenance", 0, 0,
        "expected 'official: ...' or 'estimated: ...', got '" + std::string(text) + "'");
  }
  // The detail is the last balanced parenthesised group at the end, if any.
  if (!rest.empty() && rest.back() == ')') {
    int depth = 0;
    for (size_t pos = rest.size(); pos-- > 0;) {
      if (rest[pos] == ')') ++depth;
      if (rest[pos] == '(' && --depth == 0) {
        if (pos >= 1 && rest[pos - 1] == ' ') {
          p.source = std::string(rest.substr(0, pos - 1));
          p.detail = std::string(rest.substr(pos + 1, rest.size() - pos - 2));
          p.preliminary = DetailMarksPreliminary(p.detail);
          return p;
        }
        break;
      }
    }
  }
  p.source = std::string(rest);
  return p;
}

bool Provenance::DetailMarksPreliminary(std::string_view detail) {
  std::string lower(detail);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("preliminary") != std::string::npos;
}

}  // namespace kazmig
