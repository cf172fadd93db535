// The kazmig error hierarchy and its mapping to process exit codes.
//
// Errors are thrown where a problem is found and caught only in `main` (and the HTTP handler):
//
//   throw kazmig::InputError("flows.csv", 12, 3, "not a number: 'abc'");
//   // what(): "flows.csv:12:3: not a number: 'abc'", ExitCode() == 3
//
// Expected numerical outcomes (an estimator that did not converge) are reported in result structs,
// not thrown; the CLI turns them into a ComputeError.
#ifndef KAZMIG_CORE_ERROR_H_
#define KAZMIG_CORE_ERROR_H_

#include <stdexcept>
#include <string>

namespace kazmig {

// Process exit codes (ARCHITECTURE.md, "Command line contract").
enum class ExitCode : int {
  kSuccess = 0,
  kComputeFailure = 1,  // runtime failure, e.g. an estimator did not converge
  kUsage = 2,           // bad command line
  kInvalidInput = 3,    // invalid input data
};

// Base of every error kazmig raises on purpose.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  virtual ExitCode exit_code() const { return ExitCode::kComputeFailure; }
};

// Invalid input data: a file, a field, or a value that cannot be used. Formats its message as
// `FILE:LINE:COLUMN: message`; line and column are 1-based, 0 means unknown and is left out
// (`FILE:LINE: message`, `FILE: message`). `file` may name a field or a sheet instead.
class InputError : public Error {
 public:
  InputError(std::string file, long line, long column, std::string message);
  explicit InputError(std::string message);
  ExitCode exit_code() const override { return ExitCode::kInvalidInput; }
  const std::string& file() const { return file_; }
  long line() const { return line_; }
  long column() const { return column_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string file_;
  long line_ = 0;
  long column_ = 0;
  std::string detail_;
};

// A command line that cannot be run as written.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message) {}
  ExitCode exit_code() const override { return ExitCode::kUsage; }
};

// A computation that failed at run time (non-convergence, singular system, I/O failure).
class ComputeError : public Error {
 public:
  explicit ComputeError(const std::string& message) : Error(message) {}
  ExitCode exit_code() const override { return ExitCode::kComputeFailure; }
};

}  // namespace kazmig

#endif  // KAZMIG_CORE_ERROR_H_
