#pragma once
// What an account's API client and transport are built from, derived from the
// configuration. A reload compares these (not a hand-kept list of keys): an
// account whose derived settings are unchanged keeps its client and its data.
#include "api/client.h"
#include "api/transport.h"
#include "config/config.h"

namespace coinw::collect {

struct ClientSettings {
  api::ClientOptions client;
  api::TransportOptions transport;
  bool operator==(const ClientSettings&) const = default;
};

ClientSettings derive_client_settings(const config::GlobalConfig& g, const config::AccountConfig& a);

}  // namespace coinw::collect
