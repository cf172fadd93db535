// fmt's compiled part (Debian ships libfmt only as a shared library, libfmt.so, which needs the
// shared libstdc++): compiled from the installed header fmt/format-inl.h into the kazmig
// executable, so kazmig links neither (with -Wl,--as-needed, libfmt.so satisfies no symbol and is
// not recorded; CMakeLists.txt, docs/csv.md "Start-up"). The same code and version as libfmt.so:
// the non-template functions are defined by format-inl.h itself; the templates the library
// instantiates for char are instantiated here. A symbol missing here would make libfmt.so needed
// again, which tests/integration/startup_libraries_test.sh reports.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {
template FMT_API auto dragonbox::to_decimal(float x) noexcept -> dragonbox::decimal_fp<float>;
template FMT_API auto dragonbox::to_decimal(double x) noexcept -> dragonbox::decimal_fp<double>;
template FMT_API auto thousands_sep_impl(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
template FMT_API void buffer<char>::append(const char*, const char*);
}  // namespace detail
FMT_END_NAMESPACE
