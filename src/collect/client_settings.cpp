#include "collect/client_settings.h"

namespace coinw::collect {

ClientSettings derive_client_settings(const config::GlobalConfig& g, const config::AccountConfig& a) {
  ClientSettings out;
  const auto& r = g.rate_limits;
  auto& l = out.client.limits;
  l.invitee_assets_per_s = r.invitee_assets_per_second;
  l.futures_ip_per_s = r.futures_ip_per_second;
  l.sub_account_list_per_s = r.sub_account_list_per_second;
  l.spot_ip_per_s = r.spot_ip_per_second;
  l.spot_user_per_s = r.spot_user_per_second;
  l.margin = r.safety_margin;
  // Rounded up: a shorter pause than configured would hit the ban again.
  l.pause = std::chrono::ceil<std::chrono::seconds>(r.pause_after_rate_limit);
  out.client.time_zone_offset_seconds = g.time_zone_offset_seconds;
  out.client.user = a.user;
  out.transport.base_url = a.base_url;
  out.transport.ca_file = a.ca_file;
  out.transport.proxy = a.proxy;
  out.transport.connect_timeout = g.http.connect_timeout;
  out.transport.read_timeout = g.http.read_timeout;
  return out;
}

}  // namespace coinw::collect
