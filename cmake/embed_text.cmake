# Writes a C++ source that holds a text file as a std::string_view, so that the
# binary carries the file (the runbook it serves at /runbook) and needs nothing
# installed beside it. Run at build time:
#   cmake -DINPUT=docs/runbook.md -DOUTPUT=runbook_text.cpp -DNAME=kRunbookMarkdown -P embed_text.cmake
# NAME is defined in namespace coinw::exporter.
file(READ "${INPUT}" text)
set(delimiter "coinw_embed")
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains )${delimiter}\", which would end the raw string")
endif()
file(WRITE "${OUTPUT}.tmp"
     "// Generated from ${INPUT} by cmake/embed_text.cmake: edit that file instead.\n"
     "#include <string_view>\n\nnamespace coinw::exporter {\n"
     "extern const std::string_view ${NAME};\n"
     "const std::string_view ${NAME} = R\"${delimiter}(${text})${delimiter}\";\n"
     "}  // namespace coinw::exporter\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
