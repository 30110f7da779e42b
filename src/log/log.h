#pragma once
// Structured logging in logfmt or JSON, like the Prometheus exporters'
// --log.level / --log.format. Callers pass key-value pairs; values are escaped
// here, so a nickname or a CoinW message can never break a log line.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace coinw::log {

enum class Level { debug, info, warn, error };
enum class Format { logfmt, json };

using Field = std::pair<std::string_view, std::string>;

// Throws std::invalid_argument naming the accepted values.
Level parse_level(std::string_view s);
Format parse_format(std::string_view s);

void configure(Level level, Format format);
// Where lines go (stderr by default); for tests.
void set_sink(void (*sink)(const std::string& line));
bool enabled(Level level);

void write(Level level, std::string_view msg, std::initializer_list<Field> fields = {});
inline void debug(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::debug, m, f); }
inline void info(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::info, m, f); }
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::warn, m, f); }
inline void error(std::string_view m, std::initializer_list<Field> f = {}) { write(Level::error, m, f); }

// The line write() would produce, without the timestamp; pure, for tests.
std::string format_line(Format format, Level level, std::string_view ts, std::string_view msg,
                        std::initializer_list<Field> fields);

}  // namespace coinw::log
