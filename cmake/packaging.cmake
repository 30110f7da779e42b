# Installation layout and the Debian packages (`cpack -G DEB` in the build
# directory): coinw-exporter for production, coinw-sim (the simulator, for tests
# and demos) apart, so that no production host gets a fake CoinW on its PATH.
# The paths that depend on the prefix are worked out when installing, not when
# configuring, because CPack installs with its own prefix (/usr for the .deb):
# prefix /usr puts the configuration in /etc, as Debian expects; any other
# prefix (/usr/local by default) in PREFIX/etc. The unit's paths follow the prefix.
include(GNUInstallDirs)

set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME exporter)
install(TARGETS coinw_exporter coinw_healthcheck RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS coinw-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sim)
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/coinw-sim RENAME copyright COMPONENT sim)

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
install(FILES README.md CHANGELOG.md DESTINATION ${coinw_doc})
# Where the README's links point (docs/...), so they work from the installed copy.
install(DIRECTORY docs/ DESTINATION ${coinw_doc}/docs FILES_MATCHING PATTERN "*.md")
install(FILES LICENSE DESTINATION ${coinw_doc} RENAME copyright)
install(FILES config/example.yml config/alerts.yml config/alertmanager.yml config/prometheus.yml
              config/prometheus-sharded.yml config/prometheus-ha.yml dashboards/coinw-affiliate.json dashboards/coinw-subaccounts.json
              dashboards/coinw-exporter.json
        DESTINATION ${coinw_doc}/examples)

# The Maintainer field: -DCOINW_MAINTAINER="Name <address>", else the packager's
# DEBFULLNAME and DEBEMAIL (as Debian's own tools read them), else git's
# user.name and user.email in this tree.
set(COINW_MAINTAINER "" CACHE STRING "Maintainer field of the packages: Name <address>")
if(NOT COINW_MAINTAINER)
  if(DEFINED ENV{DEBFULLNAME} AND DEFINED ENV{DEBEMAIL})
    set(COINW_MAINTAINER "$ENV{DEBFULLNAME} <$ENV{DEBEMAIL}>")
  else()
    find_package(Git QUIET)
    if(GIT_FOUND)
      foreach(key name email)
        execute_process(COMMAND ${GIT_EXECUTABLE} config user.${key} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                        OUTPUT_VARIABLE maintainer_${key} OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      endforeach()
      if(maintainer_name AND maintainer_email)
        set(COINW_MAINTAINER "${maintainer_name} <${maintainer_email}>")
      endif()
    endif()
  endif()
endif()
if(NOT COINW_MAINTAINER)
  message(STATUS "No package maintainer (COINW_MAINTAINER, DEBFULLNAME/DEBEMAIL or git user): cpack will refuse")
endif()

set(CPACK_PACKAGE_NAME coinw-exporter)
set(CPACK_PACKAGE_VENDOR coinw-exporter)
set(CPACK_PACKAGE_CONTACT "${COINW_MAINTAINER}")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL exporter sim)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Library dependencies come from dpkg-shlibdeps (dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_EXPORTER_PACKAGE_NAME coinw-exporter)
set(CPACK_COMPONENT_EXPORTER_DESCRIPTION
    "Prometheus exporter for CoinW affiliate and sub-account data\n\
Exports invitee assets of CoinW affiliate accounts and the state of spot sub-accounts as\n\
Prometheus metrics, within CoinW's rate limits. Includes coinw_healthcheck for container\n\
health checks, the alert rules and the Grafana dashboards.")
# The CA store is needed at run time to verify api.coinw.com but linked by no one.
set(CPACK_DEBIAN_EXPORTER_PACKAGE_DEPENDS "ca-certificates")
# The configuration files are the administrator's: an upgrade must not overwrite them.
file(WRITE ${PROJECT_BINARY_DIR}/packaging/conffiles "/etc/coinw-exporter/config.yml\n/etc/default/coinw-exporter\n")
set(CPACK_DEBIAN_EXPORTER_PACKAGE_CONTROL_EXTRA
    ${PROJECT_BINARY_DIR}/packaging/conffiles ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)

set(CPACK_DEBIAN_SIM_PACKAGE_NAME coinw-sim)
set(CPACK_DEBIAN_SIM_PACKAGE_SECTION devel)
set(CPACK_COMPONENT_SIM_DESCRIPTION
    "Simulator of the CoinW API endpoints that coinw-exporter uses\n\
A fake CoinW for tests and demos: both signing schemes, strict rate limits, fault\n\
injection and a seeded dataset. Not for production hosts.")
include(CPack)
