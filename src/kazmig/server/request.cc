#include "kazmig/server/request.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace kazmig::server {
namespace {

struct Route {
  std::string_view path;
  Endpoint endpoint;
  std::vector<std::string_view> params;  // the parameters it takes
  bool post = false;
};

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = {
      {"/api/health", Endpoint::kHealth, {}},
      {"/api/regions", Endpoint::kRegions, {"vintage"}},
      {"/api/boundaries", Endpoint::kBoundaries, {"vintage"}},
      {"/api/map", Endpoint::kMap, {"indicator", "year"}},
      {"/api/series", Endpoint::kSeries, {"indicator", "region"}},
      {"/api/indicators", Endpoint::kIndicators, {"year"}},
      {"/api/flows", Endpoint::kFlows, {"year"}},
      {"/api/flows/international", Endpoint::kInternationalFlows, {"period"}},
      {"/api/factors", Endpoint::kFactors, {}},
      {"/api/risk", Endpoint::kRisk, {}},
      {"/api/scenarios", Endpoint::kScenarios, {}},
      {"/api/projections", Endpoint::kProjections, {"scenario", "region"}},
      {"/api/policy", Endpoint::kPolicy, {}},
      {"/api/import",
       Endpoint::kImport,
       {"format", "indicator", "unit", "vintage", "source", "detail", "estimated", "notes", "year"},
       true},
  };
  return routes;
}

constexpr std::string_view kRegionPrefix = "/api/regions/";

RequestError Bad(std::string message) { return {400, std::move(message)}; }

bool AllOf(std::string_view text, bool (*ok)(char)) {
  return !text.empty() && std::all_of(text.begin(), text.end(), ok);
}
bool IdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}
bool NameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
bool ScenarioChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '+';
}
bool Digit(char c) { return c >= '0' && c <= '9'; }

std::optional<int> ParseYear(std::string_view text) {
  if (text.size() != 4 || !AllOf(text, &Digit)) return std::nullopt;
  int year = 0;
  std::from_chars(text.data(), text.data() + text.size(), year);
  if (year < 1900 || year > 2100) return std::nullopt;
  return year;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Validates one parameter's value into `request`; an error names the parameter.
std::optional<RequestError> Apply(ApiRequest& request, std::string_view name,
                                  const std::string& value) {
  if (value.empty()) return Bad(fmt::format("parameter '{}': empty value", name));
  if (name == "vintage") {
    const bool boundaries = request.endpoint == Endpoint::kBoundaries;
    const bool ok = value == "kz-2022" || value == "kz-2018" || (!boundaries && value == "kz-2009");
    if (!ok) {
      return Bad(fmt::format("parameter 'vintage': unknown vintage '{}' (allowed: {})", value,
                             boundaries ? "kz-2018, kz-2022" : "kz-2009, kz-2018, kz-2022"));
    }
    request.vintage = value;
  } else if (name == "year") {
    const std::optional<int> year = ParseYear(value);
    if (!year) {
      return Bad(fmt::format("parameter 'year': '{}' is not a year (four digits, 1900-2100)",
                             value.substr(0, 32)));
    }
    request.year = year;
  } else if (name == "indicator") {
    if (request.endpoint == Endpoint::kMap) {
      const auto& ids = MapIndicatorIds();
      if (std::find(ids.begin(), ids.end(), value) == ids.end()) {
        return Bad(fmt::format("parameter 'indicator': unknown map indicator '{}' (allowed: {})",
                               value.substr(0, 64), Join(ids)));
      }
    } else if (value.size() > 64 || !AllOf(value, &NameChar)) {
      return Bad(
          fmt::format("parameter 'indicator': '{}' is not an indicator name (a-z, 0-9, _; see "
                      "`kazmig data list`)",
                      value.substr(0, 64)));
    }
    request.indicator = value;
  } else if (name == "region") {
    if (value.size() > 32 || !AllOf(value, &IdChar)) {
      return Bad(
          fmt::format("parameter 'region': '{}' is not a region id (KATO code such as 75, or KZ)",
                      value.substr(0, 32)));
    }
    request.region = value;
  } else if (name == "period") {
    const bool year = value.size() == 4 && AllOf(value, &Digit);
    const bool range = value.size() == 9 && value[4] == '-' &&
                       AllOf(std::string_view(value).substr(0, 4), &Digit) &&
                       AllOf(std::string_view(value).substr(5), &Digit);
    if (!year && !range) {
      return Bad(fmt::format(
          "parameter 'period': '{}' is not a period (a year such as 2023, or 1990-1995)",
          value.substr(0, 32)));
    }
    request.period = value;
  } else if (name == "scenario") {
    if (value.size() > 128 || !AllOf(value, &ScenarioChar)) {
      return Bad(fmt::format(
          "parameter 'scenario': '{}' is not a scenario name (built-in names such as baseline, "
          "joined with '+')",
          value.substr(0, 64)));
    }
    request.scenario = value;
  }
  // The import's parameters are checked by its handler (the same code as `kazmig data import`).
  return std::nullopt;
}

// Percent-decoding is done by the HTTP layer; here the decoded path is checked segment by segment.
bool SafeSegment(std::string_view segment) {
  if (segment.empty() || segment == "." || segment == "..") return false;
  for (char c : segment) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '\\' || c == ':') return false;
  }
  return true;
}

}  // namespace

std::string_view EndpointPath(Endpoint endpoint) {
  if (endpoint == Endpoint::kRegion) return "/api/regions/{id}";
  if (endpoint == Endpoint::kStatic) return "/";
  for (const Route& route : Routes()) {
    if (route.endpoint == endpoint) return route.path;
  }
  return "/";
}

const std::vector<std::string>& MapIndicatorIds() {
  static const std::vector<std::string> ids = {"net_rate",   "population",      "arrivals",
                                               "departures", "unemployment",    "income",
                                               "risk_score", "projected_change"};
  return ids;
}

std::string ApiRequest::CacheKey() const {
  std::string key(EndpointPath(endpoint));
  auto add = [&key, first = true](std::string_view name, std::string_view value) mutable {
    key += first ? '?' : '&';
    first = false;
    key += name;
    key += '=';
    key += value;
  };
  switch (endpoint) {
    case Endpoint::kRegions:
    case Endpoint::kBoundaries:
      add("vintage", vintage);
      break;
    case Endpoint::kRegion:
      add("vintage", vintage);
      add("id", region);
      break;
    case Endpoint::kMap:
    case Endpoint::kSeries:
      add("indicator", indicator);
      add(endpoint == Endpoint::kMap ? "year" : "region",
          endpoint == Endpoint::kMap ? (year ? std::to_string(*year) : "") : region);
      break;
    case Endpoint::kIndicators:
    case Endpoint::kFlows:
      add("year", year ? std::to_string(*year) : "");
      break;
    case Endpoint::kInternationalFlows:
      add("period", period);
      break;
    case Endpoint::kProjections:
      add("scenario", scenario);
      add("region", region);
      break;
    default:
      break;
  }
  return key;
}

std::optional<std::string> StaticRelativePath(std::string_view path) {
  if (path.empty() || path == "/") return "index.html";
  if (path.front() != '/' || path.size() > 1024) return std::nullopt;
  std::string relative;
  std::string_view rest = path.substr(1);
  bool directory = false;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (!SafeSegment(segment)) return std::nullopt;
    if (!relative.empty()) relative += '/';
    relative += segment;
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
    directory = rest.empty();
  }
  if (directory) relative += "/index.html";
  return relative;
}

ParseResult ParseRequest(std::string_view method, std::string_view path,
                         const QueryParams& params) {
  const bool head = method == "HEAD";
  const bool post = method == "POST";
  if (method != "GET" && !head && !post) {
    return RequestError{405, fmt::format("method {} not allowed (GET or HEAD; POST /api/import)",
                                         method.substr(0, 16))};
  }
  ApiRequest request;
  request.head = head;
  const bool api = path == "/api" || path.starts_with("/api/");
  if (!api) {
    if (post) return RequestError{405, "method POST not allowed here (only POST /api/import)"};
    if (!params.empty()) {
      // Static files take no parameters; ignore them (cache busters such as ?v=3).
    }
    const std::optional<std::string> relative = StaticRelativePath(path);
    if (!relative) {
      return Bad(
          "path: refused (no '.' or '..' segments, backslashes, colons, control "
          "characters or empty segments; files under the web root only)");
    }
    request.endpoint = Endpoint::kStatic;
    request.static_path = *relative;
    return request;
  }

  const Route* route = nullptr;
  std::vector<std::string_view> allowed;
  if (path.starts_with(kRegionPrefix) && path.size() > kRegionPrefix.size()) {
    const std::string_view id = path.substr(kRegionPrefix.size());
    if (id.size() > 32 || !AllOf(id, &IdChar)) {
      return RequestError{404, fmt::format("unknown region '{}'", id.substr(0, 32))};
    }
    request.endpoint = Endpoint::kRegion;
    request.region = std::string(id);
    allowed = {"vintage"};
  } else {
    std::string_view trimmed = path;
    if (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
    for (const Route& candidate : Routes()) {
      if (candidate.path == trimmed) route = &candidate;
    }
    if (route == nullptr) {
      return RequestError{404,
                          fmt::format("unknown path '{}' (see docs/http.md)", path.substr(0, 128))};
    }
    request.endpoint = route->endpoint;
    allowed = route->params;
  }
  const bool wants_post = route != nullptr && route->post;
  if (post != wants_post) {
    return RequestError{
        405, fmt::format("method {} not allowed on {} ({})", method, EndpointPath(request.endpoint),
                         wants_post ? "POST" : "GET or HEAD")};
  }

  std::vector<std::string_view> seen;
  for (const auto& [name, value] : params) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Bad(fmt::format("parameter '{}': not taken by {} ({})", name.substr(0, 64),
                             EndpointPath(request.endpoint),
                             list.empty() ? "it takes none" : "it takes " + list));
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return Bad(fmt::format("parameter '{}': given more than once", name));
    }
    seen.push_back(name);
    if (auto error = Apply(request, name, value)) return *error;
  }
  const auto given = [&seen](std::string_view name) {
    return std::find(seen.begin(), seen.end(), name) != seen.end();
  };
  switch (request.endpoint) {
    case Endpoint::kRegions:
    case Endpoint::kRegion:
    case Endpoint::kBoundaries:
      if (request.vintage.empty()) request.vintage = "kz-2022";
      break;
    case Endpoint::kMap:
      if (!given("indicator")) {
        return Bad(
            fmt::format("parameter 'indicator': required (one of {})", Join(MapIndicatorIds())));
      }
      break;
    case Endpoint::kSeries:
      if (!given("indicator")) {
        return Bad(
            "parameter 'indicator': required (an indicator of `kazmig data list`, e.g. "
            "net_internal)");
      }
      if (!given("region")) return Bad("parameter 'region': required (a region id, or KZ)");
      break;
    case Endpoint::kProjections:
      if (request.scenario.empty()) request.scenario = "baseline";
      break;
    case Endpoint::kImport:
      if (!given("format")) return Bad("parameter 'format': required (as `kazmig data import`)");
      break;
    default:
      break;
  }
  return request;
}

}  // namespace kazmig::server
