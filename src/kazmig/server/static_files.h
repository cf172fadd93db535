// Static files of the dashboard under the web root. The request path was checked by
// StaticRelativePath (request.h: no "..", ".", backslashes, control characters or empty
// segments); here the file is also resolved with symbolic links followed and refused unless it
// lies inside the resolved web root and is a regular file.
#ifndef KAZMIG_SERVER_STATIC_FILES_H_
#define KAZMIG_SERVER_STATIC_FILES_H_

#include <filesystem>
#include <optional>
#include <string>

namespace kazmig::server {

struct StaticFile {
  std::string body;
  std::string content_type;
};

// The file `relative` under `root`, or nullopt (404) when it does not exist, is not a regular
// file, is larger than `max_bytes`, or resolves outside `root`.
std::optional<StaticFile> ReadStaticFile(const std::filesystem::path& root,
                                         const std::string& relative, size_t max_bytes = 64u << 20);

// The Content-Type of a file by its extension (text types with charset=utf-8;
// application/octet-stream when unknown).
std::string ContentTypeOf(const std::filesystem::path& path);

// The dashboard's default web root for the binary at `executable`: BUILD/web for BUILD/bin/kazmig
// (the build tree), else PREFIX/share/kazmig/web for PREFIX/bin/kazmig (installed); the first
// that exists, else the build-tree path.
std::filesystem::path DefaultWebRoot(const std::filesystem::path& executable);

}  // namespace kazmig::server

#endif  // KAZMIG_SERVER_STATIC_FILES_H_
