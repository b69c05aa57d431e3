// vicc with one more card type, "test" (tests/vicc/test_card.hpp), for the shell tests of the
// program itself: the same main() as vicc/vicc over cardTypes() + the test card.
#include <vector>

#include "tests/vicc/test_card.hpp"

namespace vpcsc::vicc {
int viccMain(int argc, char** argv, std::span<const CardType> types);
}

int main(int argc, char** argv) {
    using namespace vpcsc::vicc;
    std::vector<CardType> types(cardTypes().begin(), cardTypes().end());
    types.push_back(test::testCardType());
    return viccMain(argc, argv, types);
}
