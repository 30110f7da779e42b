#include "exposition/body.h"

#include <algorithm>
#include <string_view>

namespace coinw::exposition {

Piece make_piece(std::string text, bool deflated) {
  Piece p;
  if (deflated) p.gz = std::make_shared<const DeflatedPiece>(deflate_piece(text));
  p.text = std::make_shared<const std::string>(std::move(text));
  return p;
}

std::vector<FamilyPieces> make_pieces(std::vector<RenderedFamily> families) {
  std::vector<FamilyPieces> out;
  out.reserve(families.size());
  for (auto& f : families) {
    out.push_back({std::move(f.name), make_piece(std::move(f.header)), make_piece(std::move(f.body))});
  }
  return out;
}

void BodyBuilder::add(const Piece& piece) {
  if (piece.text->empty()) return;
  if (gzip_) {
    joiner_.add(piece.gz ? piece.gz : std::make_shared<const DeflatedPiece>(deflate_piece(*piece.text)));
  } else {
    parts_.push_back(piece.text);
  }
}

void BodyBuilder::add_grouped(const std::vector<const std::vector<FamilyPieces>*>& sources) {
  // Few families and few accounts: a scan per family costs less than a map.
  std::vector<std::string_view> done;
  for (size_t s = 0; s < sources.size(); ++s) {
    for (const auto& family : *sources[s]) {
      if (std::find(done.begin(), done.end(), family.name) != done.end()) continue;
      done.push_back(family.name);
      add(family.header);
      for (size_t t = s; t < sources.size(); ++t)
        for (const auto& other : *sources[t])
          if (other.name == family.name) add(other.body);
    }
  }
}

BodyParts BodyBuilder::finish() && {
  if (gzip_) return std::move(joiner_).finish();
  return std::move(parts_);
}

}  // namespace coinw::exposition
