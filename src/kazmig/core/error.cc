#include "kazmig/core/error.h"

#include <utility>

namespace kazmig {
namespace {

std::string FormatLocation(const std::string& file, long line, long column,
                           const std::string& message) {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  if (!out.empty()) out += ": ";
  return out + message;
}

}  // namespace

InputError::InputError(std::string file, long line, long column, std::string message)
    : Error(FormatLocation(file, line, column, message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      detail_(std::move(message)) {}

InputError::InputError(std::string message) : Error(message), detail_(std::move(message)) {}

}  // namespace kazmig
