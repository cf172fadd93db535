// Where kazmig finds its database and its built-in data folder (the same for every face).
#ifndef KAZMIG_APP_PATHS_H_
#define KAZMIG_APP_PATHS_H_

#include <filesystem>
#include <string>

namespace kazmig::app {

// The database path: `explicit_path` when not empty, else $KAZMIG_DB, else
// $XDG_DATA_HOME/kazmig/kazmig.db, else ~/.local/share/kazmig/kazmig.db.
std::string DefaultDbPath(const std::string& explicit_path = {});

// The repository's data/kz folder: $KAZMIG_DATA_DIR, else next to the source tree the binary was
// built from, else /usr/share/kazmig/data/kz.
std::filesystem::path BuiltinDataDir();

}  // namespace kazmig::app

#endif  // KAZMIG_APP_PATHS_H_
