// {INS -> handler} dispatch (DESIGN.md style 5). A card type starts from iso7816Commands() and
// replaces or adds entries; handlers are member functions of Iso7816Card or of a derived card:
//
//   static const CommandTable t = CommandTable(iso7816Commands())
//       .replace(0xA4, &Cryptoflex::select)
//       .add(0xA8, &Cryptoflex::directory, CommandTable::ClassSet::Proprietary);
//
// Interindustry (CLA 0x-7x) and proprietary (CLA 8x-Fx) classes have separate tables: an INS
// with no handler for the class of the command is answered 6D00, and a proprietary class with
// no handler at all 6E00.
#pragma once

#include <array>
#include <concepts>
#include <cstdint>
#include <functional>

#include "common/apdu.hpp"
#include "vicc/iso7816/logical_channel.hpp"
#include "vicc/iso7816/response.hpp"

namespace vpcsc::vicc {

class Iso7816Card;

class CommandTable {
public:
    enum class ClassSet { Interindustry, Proprietary };
    using Handler = std::function<Response(Iso7816Card&, const CommandApdu&, LogicalChannel&)>;

    // Throws std::logic_error if the INS already has a handler (add) or has none (replace):
    // such a mistake shows at start-up, when the static table is built.
    CommandTable& add(std::uint8_t ins, Handler handler, ClassSet set = ClassSet::Interindustry);
    CommandTable& replace(std::uint8_t ins, Handler handler, ClassSet set = ClassSet::Interindustry);
    CommandTable& remove(std::uint8_t ins, ClassSet set = ClassSet::Interindustry);

    template <class C>
        requires std::derived_from<C, Iso7816Card>
    CommandTable& add(std::uint8_t ins, Response (C::*fn)(const CommandApdu&, LogicalChannel&),
                      ClassSet set = ClassSet::Interindustry) {
        return add(ins, wrap(fn), set);
    }
    template <class C>
        requires std::derived_from<C, Iso7816Card>
    CommandTable& replace(std::uint8_t ins, Response (C::*fn)(const CommandApdu&, LogicalChannel&),
                          ClassSet set = ClassSet::Interindustry) {
        return replace(ins, wrap(fn), set);
    }

    const Handler* find(ClassSet set, std::uint8_t ins) const;
    bool hasAny(ClassSet set) const;

private:
    template <class C>
    static Handler wrap(Response (C::*fn)(const CommandApdu&, LogicalChannel&)) {
        // The table of a card type is only ever used by that card type (Iso7816Card::commands()
        // is virtual), so the card is a C.
        return [fn](Iso7816Card& card, const CommandApdu& apdu, LogicalChannel& channel) {
            return (static_cast<C&>(card).*fn)(apdu, channel);
        };
    }
    std::array<Handler, 256>& slots(ClassSet set) { return set == ClassSet::Interindustry ? m_interindustry : m_proprietary; }
    const std::array<Handler, 256>& slots(ClassSet set) const {
        return set == ClassSet::Interindustry ? m_interindustry : m_proprietary;
    }

    std::array<Handler, 256> m_interindustry;
    std::array<Handler, 256> m_proprietary;
};

// The ISO 7816-4/-9 commands of Iso7816Card (vicc/iso7816/commands.cpp).
const CommandTable& iso7816Commands();

}  // namespace vpcsc::vicc
