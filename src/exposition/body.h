#pragma once
// Response bodies made of shared, immutable pieces of exposition text, each
// also kept deflated: a scrape between two refreshes copies and compresses
// nothing but the small metrics that changed.
#include <memory>
#include <string>
#include <vector>

#include "exposition/family_set.h"
#include "exposition/gzip.h"

namespace coinw::exposition {

struct Piece {
  std::shared_ptr<const std::string> text;
  std::shared_ptr<const DeflatedPiece> gz;  // null when only the text is wanted
};
Piece make_piece(std::string text, bool deflated = true);

// One family of one source (an account): its header and its samples.
struct FamilyPieces {
  std::string name;
  Piece header, body;
};
std::vector<FamilyPieces> make_pieces(std::vector<RenderedFamily> families);

using BodyParts = std::vector<std::shared_ptr<const std::string>>;

class BodyBuilder {
 public:
  explicit BodyBuilder(bool gzip) : gzip_(gzip) {}
  void add(const Piece& piece);
  // The families of several sources grouped by name, as the text format wants:
  // one header, then the samples of every source that has the family.
  void add_grouped(const std::vector<const std::vector<FamilyPieces>*>& sources);
  BodyParts finish() &&;

 private:
  bool gzip_;
  GzipJoiner joiner_;
  BodyParts parts_;
};

}  // namespace coinw::exposition
