// Where kazmig finds its database and its built-in data folder (the same for every face).
#ifndef KAZMIG_APP_PATHS_H_
#define KAZMIG_APP_PATHS_H_

#include <filesystem>
#include <string>

namespace kazmig::app {

// The database path: `explicit_path` when not empty, else $KAZMIG_DB, else
// $XDG_DATA_HOME/kazmig/kazmig.db, else ~/.local/share/kazmig/kazmig.db.
std::string DefaultDbPath(const std::string& explicit_path = {});

// The built-in data folder (data/kz; the scenarios are its sibling data/scenarios):
// $KAZMIG_DATA_DIR, else PREFIX/share/kazmig/data/kz beside an installed binary PREFIX/bin/kazmig
// or PREFIX/lib/kazmig/kazmig-serve (`make install`), else the data/kz of the source tree the
// binary was built from, else /usr/share/kazmig/data/kz.
std::filesystem::path BuiltinDataDir();

// PREFIX/share/kazmig/data/kz for the running binary PREFIX/bin/kazmig or PREFIX/lib/kazmig/NAME
// (kazmig-serve), whether or not it exists; empty when the binary's path is unknown.
std::filesystem::path InstalledDataDir();

}  // namespace kazmig::app

#endif  // KAZMIG_APP_PATHS_H_
