"""Extraction on sentences written for these tests: each phenomenon alone."""

from __future__ import annotations

from typing import Any

import pytest

from deportgraph.loaders.article import Article
from deportgraph.loaders.extraction import extract, split_sentences


def facts(text: str, kind: str = "ACCEPTS_DEPORTEES_FROM", title: str | None = None) -> list[dict[str, Any]]:
    claims = extract(Article(text, title=title))
    return [{"subject": f.subject, "object": f.object, **dict(f.values), "quote": f.quote}
            for f in claims.facts if str(f.type) == kind]


def accepts(text: str, **kw: Any) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(f["subject"], f["object"]): f for f in facts(text, **kw)}


def test_destination_after_a_removal_verb() -> None:
    found = accepts("The United States deported 131 migrants to Uzbekistan on Tuesday.")
    assert set(found) == {("UZB", "USA")}
    f = found[("UZB", "USA")]
    assert f["status"] == "implemented" and f["count"] == 131 and f["count_hedge"] is None
    assert f["quote"] == "The United States deported 131 migrants to Uzbekistan on Tuesday."


def test_passive_voice_numbers_in_words_and_a_capital_for_the_deporter() -> None:
    found = accepts("Nearly two hundred and forty Venezuelan men were flown to El Salvador by Washington.")
    f = found[("SLV", "USA")]
    assert f["count"] == 240 and f["count_hedge"] == "~" and f["count_text"].lower().startswith("nearly")
    assert f["nationalities"] == ("VEN",) and f["third_country"] is True


def test_nationalities_from_a_list_of_origins() -> None:
    found = accepts("Uzbekistan took in 131 nationals of Central Asia, people from Uzbekistan, Kazakhstan and "
                    "Kyrgyzstan who had been deported from the U.S.")
    f = found[("UZB", "USA")]
    assert f["nationalities"] == ("KAZ", "KGZ", "UZB") and f["third_country"] is True


def test_own_nationals_are_not_a_third_country() -> None:
    found = accepts("About 100 Iranian nationals were deported from the United States to Iran via Qatar.")
    f = found[("IRN", "USA")]
    assert f["nationalities"] == ("IRN",) and f["third_country"] is False and f["count"] == 100
    transit = facts("About 100 Iranian nationals were deported from the United States to Iran via Qatar.",
                    "TRANSIT_VIA")
    assert [(t["subject"], t["object"]) for t in transit] == [("agr-IRN-USA", "QAT")]


def test_agreed_and_requested_in_one_sentence() -> None:
    found = accepts("Washington asked Angola and Mongolia to accept deportees who are not their citizens, "
                    "while Kosovo has agreed to take in fifty people.")
    assert found[("AGO", "USA")]["status"] == "requested"
    assert found[("MNG", "USA")]["status"] == "requested"
    assert found[("XKX", "USA")]["status"] == "agreed"
    assert all(f["third_country"] for f in found.values())


def test_court_block_names_the_court() -> None:
    text = "A federal judge halted the deportation of migrants from the United States to South Sudan."
    assert accepts(text)[("SSD", "USA")]["status"] == "blocked"
    assert [(f["subject"], f["object"]) for f in facts(text, "BLOCKED_BY")] == [("agr-SSD-USA",
                                                                                  "usa-federal-courts")]


def test_refusal_and_negation() -> None:
    found = accepts("Honduras refused to accept deportees from the United States who are not Honduran.")
    assert found[("HND", "USA")]["status"] == "refused"
    found = accepts("Guatemala did not agree to receive migrants deported from the U.S.")
    assert found[("GTM", "USA")]["status"] == "refused"


def test_a_trip_to_a_country_is_not_a_deportation() -> None:
    assert accepts("Senators took a trip to El Salvador to meet a man who was wrongly deported.") == {}


def test_a_country_is_never_its_own_host() -> None:
    assert accepts("A judge ordered the administration to facilitate his return to the United States.") == {}


def test_place_mentions_are_not_hosts() -> None:
    found = accepts("Migrants held at the naval base in Cuba were deported by the U.S. to Honduras.")
    assert set(found) == {("HND", "USA")}


def test_payment_with_amount_in_another_currency_and_coreference() -> None:
    text = ("Italy struck a deal with Albania, paying the country 16 million euros to run two reception centres "
            "for migrants.")
    [paid] = facts(text, "PAID")
    assert (paid["subject"], paid["object"], paid["currency"]) == ("ITA", "ALB", "EUR")
    assert paid["amount"] == 16_000_000 and paid["amount_usd"] == pytest.approx(17_280_000)
    assert paid["purpose"].startswith("to run two reception centres for migrants")


def test_payment_without_amount() -> None:
    [paid] = facts("The U.S. quietly compensated Eswatini to receive five deported men.", "PAID")
    assert (paid["subject"], paid["object"]) == ("USA", "SWZ") and "amount" not in dict(
        (k, v) for k, v in paid.items() if v is not None)


def test_funding_by_the_receiving_country() -> None:
    text = "Uzbekistan paid for the charter flight that returned 131 deportees from the United States."
    [funded] = facts(text, "FUNDED_BY")
    assert (funded["subject"], funded["object"]) == ("agr-USA-UZB", "UZB")


def test_officials_with_titles_and_countries() -> None:
    text = ("Salvadoran President Nayib Bukele met Homeland Security Secretary Kristi Noem, and "
            "Rwandan government spokeswoman Yolande Makolo said Rwanda would receive deportees from the U.S.")
    people = {f["subject"]: f for f in facts(text, "Official")}
    assert people["nayib-bukele"]["country_iso3"] == "SLV" and people["nayib-bukele"]["title"] == "President"
    assert people["kristi-noem"]["country_iso3"] == "USA"
    assert people["yolande-makolo"]["country_iso3"] == "RWA"


def test_surname_resolves_to_the_person_named_earlier() -> None:
    text = ("Interior Minister Ana Kowalczyk said Poland would accept deportees from Germany. "
            "Minister Kowalczyk added that the deal was signed.")
    ids = {f["subject"] for f in facts(text, "Official")}
    assert ids == {"ana-kowalczyk"}


def test_people_without_a_title_are_not_officials() -> None:
    text = "Kilmar Abrego Garcia was deported from the United States to El Salvador."
    assert facts(text, "Official") == []


def test_articles_without_removal_words_give_nothing() -> None:
    claims = extract(Article("Germany and France signed a trade agreement on wine exports with Chile."))
    assert not claims.relevant and claims.facts == []


def test_ambiguous_names_next_to_other_capitalized_words_are_dropped() -> None:
    found = accepts("The Washington Post reported that Mexico accepted 300 migrants deported from the U.S.")
    assert set(found) == {("MEX", "USA")}


def test_title_cue_marks_third_country_agreements() -> None:
    found = accepts("Paraguay agreed to accept deportees from the United States.",
                    title="Paraguay to take in non-citizens removed by the U.S.")
    assert found[("PRY", "USA")]["third_country"] is True


def test_sentences_split_around_abbreviations() -> None:
    text = "Mr. Smith left the U.S. on Monday. Then he flew to Kigali!\nNew paragraph"
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Mr. Smith left the U.S. on Monday.", "Then he flew to Kigali!", "New paragraph"]


def test_same_text_same_claims() -> None:
    text = "Costa Rica received 135 migrants deported from the United States, none of them Costa Rican."
    assert extract(Article(text)).facts == extract(Article(text)).facts


@pytest.mark.parametrize("sentence", [
    "Germany repatriated 81 Afghan men to Afghanistan on a charter flight.",
    "Twenty-eight Afghans were expelled from Germany to Afghanistan.",
    "A plane carrying 40 Afghans was flown to Kabul by German authorities.",
    "Afghanistan took back 28 of its citizens deported from Germany.",
    "Afghanistan received a group of men removed from Germany.",
])
def test_many_words_for_removal_and_acceptance(sentence: str) -> None:
    assert ("AFG", "DEU") in accepts(sentence)


@pytest.mark.parametrize(("sentence", "value", "hedge"), [
    ("More than a hundred Cubans were deported from the U.S. to Mexico.", 100, ">"),
    ("The U.S. sent nearly three hundred people to El Salvador.", 300, "~"),
    ("Up to 250 migrants deported from the United States will be received by Rwanda.", 250, "<="),
])
def test_numbers_in_words_and_hedged_numbers(sentence: str, value: int, hedge: str) -> None:
    [f] = accepts(sentence).values()
    assert (f["count"], f["count_hedge"]) == (value, hedge)


def test_a_destination_named_by_reference_to_an_earlier_sentence() -> None:
    text = ("Officials met in Tashkent to discuss Uzbekistan's role. "
            "Later, 131 people deported from the United States were flown back to the Central Asian nation.")
    assert ("UZB", "USA") in accepts(text)


def test_a_capital_stands_for_its_government() -> None:
    found = accepts("Washington deported 100 Iranians to Tehran after months of talks.")
    assert ("IRN", "USA") in found and found[("IRN", "USA")]["nationalities"] == ("IRN",)


def test_the_administration_is_the_deporting_state() -> None:
    found = accepts("The Trump administration flew 14 West African deportees to Ghana.")
    assert ("GHA", "USA") in found


def test_questions_are_not_facts() -> None:
    assert accepts("Will Honduras accept deportees from the United States?") == {}


def test_hypotheticals_are_at_most_requests() -> None:
    found = accepts("Paraguay could accept up to 50 deportees from the United States next year.")
    assert found[("PRY", "USA")]["status"] == "requested"


def test_critics_demands_are_not_facts() -> None:
    assert accepts("Rights groups urged Italy to stop sending migrants to Albania.") == {}


def test_money_in_many_spellings() -> None:
    cases = {
        "Britain paid Rwanda £240m for the asylum scheme that sent no migrants there.": ("GBR", "RWA", "GBP", 240e6),
        "Australia will pay Nauru A$408 million to resettle non-citizens.": ("AUS", "NRU", "AUD", 408e6),
        "The U.S. paid El Salvador US$6m to hold deportees in its prison.": ("USA", "SLV", "USD", 6e6),
    }
    for text, (payer, payee, currency, amount) in cases.items():
        [paid] = facts(text, "PAID")
        assert (paid["subject"], paid["object"], paid["currency"], paid["amount"]) == (payer, payee, currency, amount)
        assert paid["amount_usd"] > 0


def test_event_dates_are_not_publication_dates() -> None:
    claims = extract(Article("The flight carrying 131 people from the United States landed in Uzbekistan on April 30.",
                             published="2025-05-02"))
    [f] = [f for f in claims.facts if str(f.type) == "ACCEPTS_DEPORTEES_FROM"]
    assert dict(f.values)["dates"] == ("2025-04-30",)


def test_home_countries_that_refused() -> None:
    text = ("The United States deported five men to Eswatini. They are nationals of Cuba and Laos. "
            "Officials said their home countries refused to take them back.")
    found = accepts(text)
    assert found[("CUB", "USA")]["status"] == "refused" and found[("LAO", "USA")]["status"] == "refused"
    assert found[("SWZ", "USA")]["third_country"] is True


def test_safe_third_country_agreements() -> None:
    found = accepts("Washington signed a safe third country agreement with Paraguay on Thursday.")
    assert found[("PRY", "USA")]["third_country"] is True and found[("PRY", "USA")]["status"] == "agreed"


def test_a_deal_named_by_its_two_parties() -> None:
    found = accepts("The UK-Rwanda deal was scrapped before anyone was deported.")
    assert ("RWA", "GBR") in found


def test_received_by() -> None:
    found = accepts("The 14 deportees from the United States received by Ghana include several Nigerians and "
                    "a Gambian.")
    assert found[("GHA", "USA")]["nationalities"] == ("GMB", "NGA")


def test_confidence_grows_with_independent_sources() -> None:
    from deportgraph.graph.merge import FactRow, merge_edge

    one = merge_edge("ACCEPTS_DEPORTEES_FROM", [FactRow("a", None, "q1", "r@1", 0.6, {"status": "agreed"})])
    two = merge_edge("ACCEPTS_DEPORTEES_FROM", [FactRow("a", None, "q1", "r@1", 0.6, {"status": "agreed"}),
                                                FactRow("b", None, "q2", "r@1", 0.6, {"status": "agreed"})])
    assert one["confidence"] == 0.6 and two["confidence"] == pytest.approx(0.84)


def test_the_relevance_gate_skips_long_articles_without_a_word_of_migration() -> None:
    filler = "The team returned home after the match and thanked the fans who met them at the station. " * 30
    assert not extract(Article(filler + "They meet Madrid on Monday.")).relevant
    long_story = filler + "The United States deported 40 migrants to Honduras."
    assert extract(Article(long_story)).relevant
    assert ("HND", "USA") in accepts(long_story)


def test_a_name_stops_at_an_acronym_or_another_title() -> None:
    text = ("Asked about removals in general, DHS Assistant Secretary Tricia McLaughlin said deportations to "
            "Honduras from the United States would go on.")
    assert {f["subject"] for f in facts(text, "Official")} == {"tricia-mclaughlin"}


def test_regnal_numbers_are_part_of_the_name() -> None:
    text = "King Mswati III said Eswatini would hold the deportees from the United States."
    assert {f["name"] for f in facts(text, "Official")} == {"Mswati III"}
