# Installation layout and the Debian package (`cpack -G DEB` in the build directory).
# The paths that depend on the prefix are worked out when installing, not when
# configuring, because CPack installs with its own prefix (/usr for the .deb):
# prefix /usr puts the configuration in /etc, as Debian expects; any other
# prefix (/usr/local by default) in PREFIX/etc. The unit's paths follow the prefix.
include(GNUInstallDirs)

install(TARGETS coinw_exporter coinw-sim coinw_healthcheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(coinw_doc ${CMAKE_INSTALL_DATADIR}/doc/coinw-exporter)
set(coinw_unit ${PROJECT_BINARY_DIR}/packaging/coinw-exporter.service)
install(CODE "
  # Without the leading slash, so that the destinations below are absolute
  # paths (\"/\${COINW_ETC}\") and not placed under the prefix once more.
  if(CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(COINW_ETC etc)
  else()
    string(REGEX REPLACE \"^/+\" \"\" COINW_ETC \"\${CMAKE_INSTALL_PREFIX}/etc\")
  endif()
  # The unit in the repository is for the README's manual install under /usr/local.
  file(READ \"${PROJECT_SOURCE_DIR}/deploy/systemd/coinw-exporter.service\" unit)
  string(REPLACE \"/usr/local/\" \"\${CMAKE_INSTALL_PREFIX}/\" unit \"\${unit}\")
  string(REPLACE \"/etc/\" \"/\${COINW_ETC}/\" unit \"\${unit}\")
  file(WRITE \"${coinw_unit}\" \"\${unit}\")
")
install(FILES ${coinw_unit} DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/config.yml DESTINATION /\${COINW_ETC}/coinw-exporter)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/coinw-exporter.default
        DESTINATION /\${COINW_ETC}/default RENAME coinw-exporter)
install(FILES README.md CHANGELOG.md docs/runbook.md DESTINATION ${coinw_doc})
install(FILES LICENSE DESTINATION ${coinw_doc} RENAME copyright)
install(FILES config/example.yml config/alerts.yml config/alertmanager.yml config/prometheus.yml
              config/prometheus-sharded.yml config/prometheus-ha.yml dashboards/coinw-affiliate.json dashboards/coinw-subaccounts.json
              dashboards/coinw-exporter.json
        DESTINATION ${coinw_doc}/examples)

set(CPACK_PACKAGE_NAME coinw-exporter)
set(CPACK_PACKAGE_VENDOR coinw-exporter)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Prometheus exporter for CoinW affiliate and sub-account data")
set(CPACK_PACKAGE_DESCRIPTION
    "Exports invitee assets of CoinW affiliate accounts and the state of spot sub-accounts as\n\
Prometheus metrics, within CoinW's rate limits. Includes coinw-sim, a simulator of the\n\
CoinW endpoints, and coinw_healthcheck for container health checks.")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "coinw-exporter maintainers <coinw-exporter@localhost>" CACHE STRING "Maintainer field of the package")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps (dpkg-dev); the CA store is
# needed at run time to verify api.coinw.com but linked by no one.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ca-certificates")
# The configuration files are the administrator's: an upgrade must not overwrite them.
file(WRITE ${PROJECT_BINARY_DIR}/packaging/conffiles "/etc/coinw-exporter/config.yml\n/etc/default/coinw-exporter\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/packaging/conffiles)
include(CPack)
