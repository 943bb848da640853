#define CATCH_CONFIG_MAIN
#include "catch.hpp"

#include <stdexcept>

#include "roman.hpp"

TEST_CASE("converts single symbols", "[roman]") {
  REQUIRE(to_roman(1) == "I");
  REQUIRE(to_roman(1000) == "M");
}

TEST_CASE("uses subtractive notation", "[roman]") {
  SECTION("four") { CHECK(to_roman(4) == "IV"); }
  SECTION("nineteen ninety-four") { CHECK(to_roman(1994) == "MCMXCIV"); }
}

TEST_CASE("refuses zero", "[roman]") { REQUIRE_THROWS_AS(to_roman(0), std::out_of_range); }

TEST_CASE("handles four thousand", "[.][later]") { REQUIRE(to_roman(4000) == "MMMM"); }
