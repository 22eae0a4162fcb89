"""Each stage of the extraction engine alone, and each phenomenon it handles, on sentences written here."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from deportgraph.graph.merge import FactRow, lifecycle_status, merge_edge, status_history
from deportgraph.loaders.article import Article
from deportgraph.loaders.extraction import extract
from deportgraph.loaders.extraction.clauses import clause_index, clause_spans
from deportgraph.loaders.extraction.frames import load_frame_patterns
from deportgraph.loaders.extraction.roles import load_role_patterns
from deportgraph.loaders.gazetteer import load_gazetteer


def facts(text: str, kind: str = "ACCEPTS_DEPORTEES_FROM", **article: Any) -> list[dict[str, Any]]:
    claims = extract(Article(text, **article))
    return [{"subject": f.subject, "object": f.object, **dict(f.values), "extractor": f.extractor, "quote": f.quote}
            for f in claims.facts if str(f.type) == kind]


def pairs(text: str, **article: Any) -> set[tuple[str, str | None]]:
    return {(f["subject"], f["object"]) for f in facts(text, **article)}


def shown_status(text: str, host: str, deporter: str, published: str | None = None) -> str | None:
    """The status the graph shows for a pair after merging every fact the article gives it."""
    rows = [FactRow("s", published, f["quote"], f["extractor"], 0.5,
                    {k: v for k, v in f.items() if k not in ("subject", "object", "quote", "extractor")})
            for f in facts(text, published=published) if (f["subject"], f["object"]) == (host, deporter)]
    return merge_edge("ACCEPTS_DEPORTEES_FROM", rows).get("status")


# --- clauses -------------------------------------------------------------------------------------


def test_clauses_split_at_semicolons_conjunctions_and_quotes() -> None:
    text = 'Togo took nine men, while Benin declined; officials said "more will come" soon.'
    spans = [text[a:b] for a, b in clause_spans(text)]
    assert spans == ["Togo took nine men,", "while Benin declined;", "officials said", '"more will come"', "soon."]
    assert clause_index(clause_spans(text), text.index("Benin")) == 1


def test_a_status_word_belongs_to_the_host_of_its_own_clause() -> None:
    text = "Gabon received twelve deportees from the United States, while Chad was only asked to take some."
    assert shown_status(text, "GAB", "USA") == "implemented"
    assert shown_status(text, "TCD", "USA") == "requested"


# --- mention roles and role patterns ------------------------------------------------------------


@pytest.mark.parametrize("pattern", load_role_patterns(), ids=lambda p: p.id)
def test_every_role_pattern_has_examples_and_a_known_role(pattern: Any) -> None:
    assert pattern.examples and pattern.role and 0 < pattern.confidence <= 1


def test_a_stop_on_the_way_is_transit_not_the_host() -> None:
    text = "The men removed by Denmark were kept in Qatar for a month before the onward flight to Somalia."
    assert pairs(text) == {("SOM", "DNK")}
    assert [(t["subject"], t["object"]) for t in facts(text, "TRANSIT_VIA")] == [("agr-DNK-SOM", "QAT")]


def test_a_mediator_is_neither_host_nor_deporter() -> None:
    text = "With the help of Oman, Germany deported 28 Afghan men to Afghanistan on Friday."
    assert pairs(text) == {("AFG", "DEU")}


def test_a_place_in_a_relative_clause_about_the_people_is_no_party() -> None:
    assert pairs("Norway revived the plan to send people who arrived in Norway by boat to Ghana.") == {("GHA", "NOR")}


def test_the_owner_of_a_removal_plan_is_the_deporter() -> None:
    assert pairs("Critics attacked Finland's plan to send failed asylum seekers to Senegal.") == {("SEN", "FIN")}


def test_the_origin_of_a_person_is_a_nationality_not_the_deporter() -> None:
    [f] = facts("A woman from Laos was deported by the United States to Eswatini.")
    assert (f["subject"], f["object"], f["nationalities"], f["third_country"]) == ("SWZ", "USA", ("LAO",), True)


def test_a_list_of_hosts_as_subject() -> None:
    assert pairs("Chad, Niger and Gabon have taken deportees from Washington.") == {
        ("TCD", "USA"), ("NER", "USA"), ("GAB", "USA")}


def test_the_host_as_subject_and_the_deporter_after_with() -> None:
    [f] = facts("Sweden signed a pact with Togo to receive deported activists.")
    assert (f["subject"], f["object"], f["status"]) == ("SWE", "TGO", "agreed")


def test_acceptance_words_that_need_people() -> None:
    assert pairs("Trump hosted five presidents from Senegal and Gabon at the White House to discuss trade.") == set()
    assert pairs("Kenya hosted 40 deportees from Britain last year.") == {("KEN", "GBR")}


# --- frame patterns -----------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", load_frame_patterns("accepts"), ids=lambda p: p.id)
def test_every_frame_pattern_reads_its_own_examples(pattern: Any) -> None:
    """As spaCy's rulers keep theirs: each pattern's examples must be read by that pattern."""
    assert pattern.examples
    for example in pattern.examples:
        extractors = {f["extractor"].split(":")[0] for f in facts(example)}
        assert pattern.id in extractors, (example, extractors)


def test_no_word_lives_both_in_the_lexicon_and_in_a_frame_or_role_pattern_file() -> None:
    lexicon = load_gazetteer().lexicon
    ids = set(lexicon)
    categories = {e.category for e in lexicon.values()}
    for name in ("frames.jsonl", "roles.jsonl"):
        path = resources.files("deportgraph.loaders") / "patterns" / name
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert row["id"] not in ids
            assert set(row.get("triggers", ())) <= categories, row["id"]


def test_every_form_of_a_removal_verb_is_a_removal() -> None:
    assert pairs("Pakistan expels 2,000 Afghans in a week.") == {("AFG", "PAK")}


def test_nationals_sent_home_when_no_destination_is_named() -> None:
    [f] = facts("The Dominican Republic deported 11,000 Haitians in a single week.")
    assert (f["subject"], f["object"], f["nationalities"], f["third_country"]) == ("HTI", "DOM", ("HTI",), False)
    assert f["extractor"].startswith("accepts/nationals-home")


def test_of_two_parties_the_one_not_the_peoples_own_removes_them() -> None:
    assert pairs("Kenya and Somalia signed a deal to repatriate Somali refugees.") == {("SOM", "KEN")}
    assert pairs("Austria and Sweden have deported Afghans to Kabul.") == {("AFG", "AUT"), ("AFG", "SWE")}
    text = "Over 500 Georgian nationals have been returned since the Ireland-Georgia joint communiqué was signed."
    assert pairs(text) == {("GEO", "IRL")}


def test_a_country_name_before_a_people_noun_is_their_nationality() -> None:
    [f] = facts("Thailand deported 900 Myanmar migrants on Tuesday.")
    assert (f["subject"], f["object"], f["nationalities"], f["third_country"]) == ("MMR", "THA", ("MMR",), False)
    assert pairs("The United States flew the Ghana deportees to Accra.") == {("GHA", "USA")}
    text = "The US deported 7 men to Ghana. The plan echoes the failed 2022 UK-Rwanda migrant deal."
    assert {(f["subject"], f["object"], f.get("nationalities")) for f in facts(text)} >= {("RWA", "GBR", ())}
    assert all("RWA" not in (f.get("nationalities") or ()) for f in facts(text))
    assert pairs("Jordan deported around 60 Iraqi officers and soldiers who had crossed the border.") == {
        ("IRQ", "JOR")}


def test_each_nationality_of_a_counted_list_goes_home() -> None:
    found = facts("Qatar deported 300 Sudanese, 120 Chadians and some 80 Malians last month.")
    assert {(f["subject"], f["object"], f["nationalities"], f["third_country"]) for f in found} == {
        ("SDN", "QAT", ("SDN",), False), ("TCD", "QAT", ("TCD",), False), ("MLI", "QAT", ("MLI",), False)}


@pytest.mark.parametrize(("text", "onward"), [
    ("Ghana quietly repatriates Liberian national deported by the US", ("LBR", "GHA")),
    ("Ghana has repatriated Liberian national John Doe, deported from the United States last year.", ("LBR", "GHA")),
    ("A Peruvian man deported from the US and sent to Ghana returned to Peru on Monday.", ("PER", "GHA")),
    ("The US deported 14 people to Panama in July. One deported Irish citizen has already returned home.",
     ("IRL", "PAN")),
])
def test_people_sent_home_after_an_earlier_removal_leave_from_where_they_were(text: str,
                                                                              onward: tuple[str, str]) -> None:
    found = pairs(text)
    assert onward in found and (onward[0], "USA") not in found


def test_a_return_to_the_deporter_before_the_flight_home_leaves_from_the_deporter() -> None:
    text = "A Nepali man who was sent from Italy to a camp in Albania was later returned to Italy and flown to Nepal."
    assert pairs(text) == {("ALB", "ITA"), ("NPL", "ITA")}


def test_a_nationality_that_has_its_own_pair_is_not_another_hosts_third_country_people() -> None:
    text = ("Qatar deported 300 Sudanese and 120 Chadians last month. Sudanese led the list of those deported, "
            "followed by Chadians.")
    assert {(f["subject"], f["third_country"]) for f in facts(text)} == {("SDN", False), ("TCD", False)}


def test_nationalities_that_describe_the_deportees_are_not_destinations() -> None:
    text = ("Ghana agreed to take West Africans deported by the United States. "
            "The deportees included four Nigerians and two Malians.")
    assert pairs(text) == {("GHA", "USA")}


def test_a_host_named_by_reference_in_the_next_sentence() -> None:
    text = "The United States has deported 20 people to Palau. The Pacific nation agreed to accept up to 75 more."
    extractors = {f["extractor"].split(":")[0] for f in facts(text)}
    assert extractors == {"accepts/destination", "accepts/reference-subject"}
    assert pairs(text) == {("PLW", "USA")}


def test_a_host_named_through_a_facility_or_a_capital() -> None:
    assert pairs("The United States flew 238 men to CECOT on Sunday.") == {("SLV", "USA")}
    assert pairs("The United States sent 30 men to a prison outside Malabo.") == {("GNQ", "USA")}
    text = "Thirty Cuban men facing removal from the U.S. were moved to a high-security megaprison in Ghana."
    assert pairs(text) == {("GHA", "USA")}


def test_a_negated_removal_opens_no_frame() -> None:
    assert pairs("Canada deported him to Chad. He was never deported to Niger.") == {("TCD", "CAN")}


# --- lifecycle ----------------------------------------------------------------------------------


def row(status: str, published: str | None = None, dates: tuple[str, ...] = ()) -> FactRow:
    return FactRow("s", published, "q", "r@1", 0.5, {"status": status, "dates": dates})


def test_a_later_refusal_block_or_end_wins_over_a_request_or_a_deal() -> None:
    assert lifecycle_status(status_history([row("requested", "2025-03-01"), row("refused", "2025-04-02")])) \
        == "refused"
    assert lifecycle_status(status_history([row("agreed", "2024-01-01"), row("ended", "2024-07-10")])) == "ended"
    # ...but a later article repeating the old request does not undo the refusal
    assert lifecycle_status(status_history([row("refused", "2025-04-02"), row("requested", "2025-06-01")])) \
        == "refused"
    # removals carried out after a block move it on
    assert lifecycle_status(status_history([row("blocked", "2025-05-01"), row("implemented", "2025-07-05")])) \
        == "implemented"


def test_a_status_dated_in_its_sentence_is_placed_by_that_date() -> None:
    history = status_history([row("implemented", "2025-09-01"), row("requested", "2025-09-01", ("2025-02",))])
    assert [(d, s) for d, s, _ in history] == [("2025-02", "requested"), ("2025-09-01", "implemented")]
    assert lifecycle_status(history) == "implemented"


def test_the_history_is_on_the_merged_edge_as_parallel_lists() -> None:
    props = merge_edge("ACCEPTS_DEPORTEES_FROM", [row("requested", "2025-03-01"), row("refused", "2025-04-02")])
    assert props["status"] == "refused"
    assert props["status_dates"] == ["2025-03-01", "2025-04-02"]
    assert props["status_history"] == ["requested", "refused"]


def test_modals_and_futures_never_give_implemented() -> None:
    assert shown_status("Sweden might deport the men to Ghana.", "GHA", "SWE") == "requested"
    assert shown_status("Britain will fly the first group to Rwanda next month.", "RWA", "GBR") == "requested"
    assert shown_status("Officials said Uganda would be open to accepting deportees from the United States.",
                        "UGA", "USA") == "requested"


def test_a_participle_describing_people_reports_no_removal() -> None:
    assert shown_status("The United States asked Benin to receive the deported migrants.", "BEN", "USA") \
        == "requested"


def test_a_participle_describing_people_counted_reports_their_removal() -> None:
    text = "The 40 migrants deported to Ghana by the United States are held in a hotel."
    assert shown_status(text, "GHA", "USA") == "implemented"


def test_a_headline_that_drops_its_auxiliary_reports_the_removal() -> None:
    assert shown_status("Eritrean men returned from Sudan to Eritrea\n\nThe men crossed last year.", "ERI", "SDN") \
        == "implemented"
    assert shown_status("Eritrea agrees to take back citizens expelled by Sudan\n\nTalks ended.", "ERI", "SDN") \
        != "implemented"


def test_leaders_arriving_and_requests_sent_move_no_one() -> None:
    text = ("Before the leaders of Togo and Benin arrived at the White House for a summit, the State Department "
            "sent each country requests to take in migrants.")
    assert {shown_status(text, host, "USA") for host in ("TGO", "BEN")} == {"requested"}


def test_people_who_ended_up_somewhere_end_no_arrangement() -> None:
    text = "The United States sent 40 Cubans to Ghana, where they ended up in a prison outside Accra."
    assert shown_status(text, "GHA", "USA") == "implemented"


def test_a_refusal_in_a_later_sentence_dates_the_pair() -> None:
    text = "The United States asked Angola to accept deportees. Angola refused the request in May."
    assert shown_status(text, "AGO", "USA", published="2025-07-01") == "refused"
    later = [f for f in facts(text, published="2025-07-01") if f["status"] == "refused"]
    assert later and later[0]["extractor"].startswith("status/in-context") and later[0]["dates"] == ("2025-05",)


def test_a_scheme_scrapped_later_reads_ended() -> None:
    text = ("Britain began flying asylum seekers to Rwanda in 2024. The new government scrapped the scheme "
            "in July 2024.")
    assert shown_status(text, "RWA", "GBR", published="2024-08-01") == "ended"


# --- courts -------------------------------------------------------------------------------------


def test_a_court_ruling_keeps_its_effect_and_its_court() -> None:
    text = ("The United States deported eight men to South Sudan. A federal judge later ruled the removals "
            "unlawful and ordered the return of the men.")
    [blocked] = facts(text, "BLOCKED_BY")
    assert (blocked["subject"], blocked["object"]) == ("agr-SSD-USA", "usa-federal-courts")
    assert blocked["ruling"] in ("ruled unlawful", "ordered return")


def test_the_subject_of_a_relative_clause_after_a_count_is_no_destination() -> None:
    text = "Fiji has agreed to take in up to 50 foreign nationals whom New Zealand cannot return home."
    assert pairs(text) == {("FJI", "NZL")}


def test_a_country_across_a_border_is_a_place_not_a_partner() -> None:
    text = "Finland will fly migrants who crossed its eastern border with Russia to Rwanda under a new deal."
    assert pairs(text) == {("RWA", "FIN")}


def test_with_no_deporter_named_a_court_rules_on_its_own_states_removals() -> None:
    text = ("The High Court in Mumbai on Friday blocked the transfer of nine asylum seekers to Nepal, "
            "ruling that the government had ignored medical evidence.")
    assert pairs(text) == {("NPL", "IND")}


def test_a_states_asylum_seekers_are_in_the_state_that_removes_them() -> None:
    text = "An Albanian court suspended the deal under which Albania would receive Italy's rejected asylum seekers."
    assert pairs(text) == {("ALB", "ITA")}


def test_the_city_or_state_before_a_court_word_is_the_courts_not_a_party() -> None:
    text = "Berlin court halts Uzbekistan transfers. Germany has sent 40 Afghans to Uzbekistan since May."
    assert pairs(text) == {("UZB", "DEU")}


def test_a_court_with_no_name_is_the_courts_of_its_country() -> None:
    text = "Italy moved 16 men to Albania. A court in Rome blocked their detention there on Friday."
    [blocked] = facts(text, "BLOCKED_BY")
    assert (blocked["subject"], blocked["object"], blocked["ruling"]) == ("agr-ALB-ITA", "ita-courts", "blocked")


def test_a_ruling_that_allows_removals_is_no_block_but_is_kept() -> None:
    text = "The United States deported men to South Sudan. The Supreme Court allowed the removals to go ahead."
    assert facts(text, "BLOCKED_BY") == []
    [allowed] = facts(text, "ALLOWED_BY")
    assert (allowed["subject"], allowed["ruling"]) == ("agr-SSD-USA", "allowed")
    assert shown_status(text, "SSD", "USA") == "implemented"


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "currency", "amount"), [
    ("Britain will pay Rwanda £120m to take asylum seekers.", "GBP", 120_000_000),
    ("Denmark will pay Kosovo €210 million to house 300 prisoners.", "EUR", 210_000_000),
    ("Australia pays Nauru A$400 million to resettle the detainees.", "AUD", 400_000_000),
    ("Sweden paid Ghana SEK 2bn to take back its nationals.", "SEK", 2_000_000_000),
    ("Kenya paid Uganda KSh 50 million to take the deportees.", "KES", 50_000_000),
    ("France paid Chad 900 million CFA francs to take the deportees.", "XAF", 900_000_000),
    ("Norway paid Ghana 3 million USD to take the deportees.", "USD", 3_000_000),
    ("Britain will pay Rwanda half a billion pounds to take asylum seekers.", "GBP", 500_000_000),
    ("Denmark will pay Kosovo two million euros to house the prisoners.", "EUR", 2_000_000),
])
def test_sums_in_other_currencies_and_spellings(text: str, currency: str, amount: float) -> None:
    [paid] = facts(text, "PAID")
    assert (paid["currency"], paid["amount"]) == (currency, amount) and paid["amount_usd"] > 0


@pytest.mark.parametrize("text", [
    "Norway deported 30 Iraqis to Togo, which is being paid $3m for taking them.",
    "Togo will be compensated with $3 million by Norway for hosting the deportees.",
    "Norway deported 30 Iraqis to Togo. The Togolese government was paid $3 million by Oslo.",
    "Norway deported 30 Iraqis to Togo in a deal worth $3 million.",
])
def test_a_payment_told_in_the_passive_or_as_a_deals_worth_is_paid_by_the_deporter(text: str) -> None:
    assert [(f["subject"], f["object"], f["amount_usd"]) for f in facts(text, "PAID")] == [("NOR", "TGO", 3_000_000)]


def test_a_payment_is_between_countries_and_keeps_the_agency() -> None:
    [paid] = facts("The Home Office paid Rwanda £50 million last year to take asylum seekers.", "PAID")
    assert (paid["subject"], paid["object"], paid["payer_agency"]) == ("GBR", "RWA", "gbr-home-office")


def test_a_sum_for_several_countries_is_not_one_countrys_amount() -> None:
    [*paid] = facts("The United States paid Eswatini, Rwanda and Uganda $10 million to take deportees.", "PAID")
    assert paid and all("amount" not in p or p["amount"] is None for p in paid)


@pytest.mark.parametrize(("text", "currency"), [
    ("Norway agreed to send rejected asylum seekers to Rwanda. Oslo paid 90 million kroner for it.", "NOK"),
    ("Denmark agreed to send rejected asylum seekers to Rwanda. Copenhagen paid 90 million kroner.", "DKK"),
    ("Canada agreed to send rejected asylum seekers to Rwanda. Ottawa paid $90 million for it.", "CAD"),
    ("Canada agreed to send rejected asylum seekers to Rwanda. Ottawa paid US$90 million for it.", "USD"),
])
def test_a_spelling_several_currencies_share_is_the_payers_own(text: str, currency: str) -> None:
    [paid] = facts(text, "PAID")
    assert (paid["object"], paid["currency"], paid["amount"]) == ("RWA", currency, 90_000_000)


def test_a_sum_paid_with_no_payee_named_goes_to_the_payers_one_host() -> None:
    text = "Togo signed a pact with Finland to receive rejected asylum seekers. Helsinki will pay €40 million."
    assert [(f["subject"], f["object"]) for f in facts(text, "PAID")] == [("FIN", "TGO")]
    two_hosts = ("Finland will send rejected asylum seekers to Togo and Benin. "
                 "Helsinki will pay €40 million.")
    assert facts(two_hosts, "PAID") == []
    granted = "Togo signed a pact with Finland to receive rejected asylum seekers. Helsinki granted €40 million."
    assert facts(granted, "PAID") == []


def test_the_subject_negotiating_a_similar_deal_with_a_partner_is_its_deporter() -> None:
    text = ("Spain has paid Senegal to accept Malians whom Madrid cannot deport. "
            "Italy, meanwhile, is still negotiating a similar arrangement with Tunisia.")
    assert pairs(text) == {("SEN", "ESP"), ("TUN", "ITA")}


@pytest.mark.parametrize("text", [
    "Benin signed a pact with Norway to receive migrants whose countries of origin will not take them back.",
    "Benin will take in rejected asylum seekers from Norway who cannot be returned to their own countries.",
])
def test_people_who_cannot_go_home_make_their_host_a_third_country(text: str) -> None:
    assert {(f["subject"], f["object"], f["third_country"]) for f in facts(text)} == {("BEN", "NOR", True)}


def test_a_list_that_names_the_countries_of_the_sentence_before_gives_each_its_pair() -> None:
    text = ("Canada deported 30 men to Chad in May. Since then Canada has sent rejected claimants to several "
            "countries in Africa. These include Niger, Mali and Togo.")
    assert pairs(text) == {("TCD", "CAN"), ("NER", "CAN"), ("MLI", "CAN"), ("TGO", "CAN")}
    text = ("Canada deported 30 men to Chad in May. Chad is one of three countries that have agreed to take "
            "Canada's deportees; the others are Niger and Mali.")
    assert {shown_status(text, host, "CAN") for host in ("NER", "MLI")} == {"agreed"}
    people = ("Canada deported 30 men to Chad in May. They are three Afghans and two Iraqis, among the migrants "
              "sent to several countries.")
    assert pairs(people) == {("TCD", "CAN")}


def test_the_signer_of_a_deal_about_people_is_the_articles_deporter() -> None:
    text = ("Belgium has signed a preliminary agreement with Togo to open a centre for rejected asylum seekers. "
            "Under the plan, some would be deported to Togo.")
    assert pairs(text) == {("TGO", "BEL")}


def test_a_subject_that_concluded_a_similar_deal_with_a_partner_is_its_deporter() -> None:
    text = ("Finland agreed to rent 200 prison cells in Estonia for foreign convicts it will deport. "
            "Sweden concluded a similar agreement with Latvia in 2019.")
    assert ("LVA", "SWE") in pairs(text)


def test_partners_of_a_deporter_that_sends_people_to_third_countries_are_third_countries() -> None:
    text = ("Canada is looking for new places to send rejected asylum seekers. In March Canada flew 80 migrants, "
            "mostly from South Asia, to Belize. Now Ottawa is negotiating with countries such as Togo and Chad.")
    third = {(f["subject"], f.get("third_country")) for f in facts(text) if f["subject"] in ("TGO", "TCD")}
    assert third == {("TGO", True), ("TCD", True)}
    home = ("Canada deported 80 Haitians to Haiti in March. Now Ottawa is negotiating with countries such as "
            "Togo and Chad.")
    assert not any(f.get("third_country") for f in facts(home) if f["subject"] in ("TGO", "TCD"))


def test_a_host_that_will_no_longer_accept_deportees_refuses_and_a_deal_sent_is_no_removal() -> None:
    text = ("Laos will send the US a new deportation deal. The US deported 30 men to Laos in March 2025. "
            "In May 2025, Laos told the US that it will no longer accept deportees.")
    assert pairs(text) == {("LAO", "USA")}
    assert shown_status(text, "LAO", "USA") == "refused"


def test_a_listed_office_holder_pays_for_their_state() -> None:
    text = "Rishi Sunak has agreed to give 478 million pounds to France to stop boats carrying migrants."
    assert [(f["subject"], f["object"], f["currency"]) for f in facts(text, "PAID")] == [("GBR", "FRA", "GBP")]


def test_people_paying_a_smuggler_is_no_payment_between_states() -> None:
    text = "The United States deported ten men to India. They said they paid money to a broker to enter Nepal."
    assert facts(text, "PAID") == []


def test_compensation_that_might_be_paid_is_no_payment() -> None:
    assert facts("Ghana could be compensated by the United States for taking deportees.", "PAID") == []


# --- officials ----------------------------------------------------------------------------------


REMOVAL = " Deportations continued."  # a word of removal: articles without one are not read at all


def officials(text: str, **article: Any) -> dict[str, str | None]:
    return {f["name"]: f["country_iso3"] for f in facts(text + REMOVAL, "Official", **article)}

def test_a_judge_sits_on_the_court_of_the_state_the_article_names() -> None:
    text = ("Three men deported from the United States were held in Nepal. Nepal's Supreme Court ordered their "
            "release on Monday, and a bench of Supreme Court Justices Ram Thapa and Sita Rai wrote the order.")
    assert officials(text) == {"Ram Thapa": "NPL", "Sita Rai": "NPL"}
    text = ("Three men deported from the United States were held in Nepal. Nepal's Supreme Court ordered their "
            "release, following an interim order by Justice Hari Karki.")
    assert officials(text) == {"Hari Karki": "NPL"}
    us_court = "The United States deported three men to Nepal. Judge Ann Webb had refused to halt the flight."
    assert officials(us_court) == {"Ann Webb": "USA"}


def test_an_officials_country_from_the_office_words() -> None:
    assert officials("Panama's Security Minister Frank Abrego said the flights would continue.")["Frank Abrego"] \
        == "PAN"
    assert officials("Dutch Migration and Asylum minister Ria Vos signed the letter with Uganda.")["Ria Vos"] == "NLD"


def test_an_officials_country_from_the_complement_of_the_title() -> None:
    text = "Hanna Lind, head of Norway's migration office, said the Somalia deal was signed."
    assert officials(text)["Hanna Lind"] == "NOR"


def test_an_officials_country_from_a_party_state_tag() -> None:
    text = "Sen. Mark Doyle, R-Ohio, criticized the deportations to Eswatini."
    assert officials(text)["Mark Doyle"] == "USA"


def test_an_officials_country_from_another_sentence_about_them() -> None:
    text = ("Chadian Interior Minister Ali Saleh met officials from France to discuss deportations. "
            "Minister Saleh said Chad would not accept anyone who is not Chadian.")
    found = [f for f in facts(text, "Official") if f["name"].endswith("Saleh")]
    assert {f["country_iso3"] for f in found} == {"TCD"}


def test_an_officials_country_from_the_article_when_nothing_else_tells() -> None:
    text = ("Peru deported 40 Venezuelans to Venezuela on Monday. Peru has deported thousands since March. "
            "Labour Minister Ana Ruiz said the flights were legal.")
    [ruiz] = [f for f in facts(text, "Official") if f["name"] == "Ana Ruiz"]
    assert ruiz["country_iso3"] == "PER" and "+article-state" in ruiz["extractor"]


def test_an_officials_country_from_the_one_country_their_sentence_names() -> None:
    text = ("Chad deported 30 Sudanese men to Sudan. Foreign Minister Omar Bashir Idris said the men would not be "
            "welcomed back by Libya.")
    [idris] = [f for f in facts(text, "Official") if f["name"] == "Omar Bashir Idris"]
    assert idris["country_iso3"] == "LBY" and "+sentence-state" in idris["extractor"]


def test_an_office_of_a_body_no_state_owns_has_no_country() -> None:
    # "EU Commission" is a name, but not inside "EU Commissioner": the shorter whole name is read
    text = "EU Commissioner for Migration, Lotta Berg, met officials in Niger, which deported 60 Malians."
    assert officials(text)["Lotta Berg"] is None


def test_an_office_of_the_country_referred_to() -> None:
    text = ("Norway agreed with Ghana to return rejected asylum seekers, and Norway has sent 12 so far. "
            "Critics compared it with earlier plans in Sweden. Later, the country's Minister of Justice, "
            "Ola Strand, said the scheme would go on.")
    assert officials(text)["Ola Strand"] == "NOR"


def test_a_reference_that_does_the_removing_is_the_deporting_state() -> None:
    text = ("Finland signed a returns deal with Iraq, and Finland deported 20 Iraqis in May. "
            "Interior Minister Aino Koski said the government had deported 900 people this year.")
    assert officials(text)["Aino Koski"] == "FIN"


def test_an_office_after_a_possessive_agency() -> None:
    text = ("A note from the Ghanaian Interior Ministry's chief director, Kofi Mensah, said the United States "
            "deported 14 West Africans to Ghana.")
    assert officials(text)["Kofi Mensah"] == "GHA"


def test_the_subject_of_a_light_verb_and_a_removal_noun_is_the_deporter() -> None:
    text = "Belgium has carried out its first forced deportation to Eritrea, sending back a convicted man."
    assert pairs(text) == {("ERI", "BEL")}


def test_a_listed_official_is_read_once_whatever_comes_between_title_and_name() -> None:
    text = ("Speaking after the President of the European Commission, Ursula von der Leyen, toured Morocco, "
            "officials said Spain deported 30 Moroccans.")
    assert officials(text) == {"Ursula von der Leyen": None}


def test_a_judge_serves_the_state_whose_removals_the_court_reviews() -> None:
    text = ("Sweden's plan to deport 200 Iraqis to Iraq was heard in court. Anna Holm, the president of the "
            "Supreme Court, read the ruling; justices Erik Lund, Maja Berg and Nils Ek agreed with her.")
    found = officials(text)
    assert found["Anna Holm"] == "SWE"
    assert {found.get(n) for n in ("Erik Lund", "Maja Berg", "Nils Ek")} == {"SWE"}


def test_a_list_of_names_after_a_plural_title_may_bracket_each_portfolio() -> None:
    text = "Norwegian ministers Ida Berg (Justice) and Ola Lund (Foreign Affairs) are visiting Rwanda."
    assert officials(text) == {"Ida Berg": "NOR", "Ola Lund": "NOR"}


def test_a_capital_after_a_capitalized_word_ends_another_name() -> None:
    text = "Home Secretary Ann Lee said 40 migrants were moved off the Bibby Stockholm barge in Britain."
    assert officials(text) == {"Ann Lee": "GBR"}


def test_an_accented_name_is_read_whole() -> None:
    text = "Chile's Interior Minister Álvaro Núñez said Chile deported 50 Haitians to Haiti."
    assert officials(text) == {"Álvaro Núñez": "CHL"}


def test_a_rank_before_the_name_is_no_name_and_a_state_after_the_title_is_no_person() -> None:
    text = "Bangladesh's Home Affairs Adviser Lt Gen (Retd) Karim Uddin said the pushbacks must end."
    assert officials(text) == {"Karim Uddin": "BGD"}
    text = "According to its State Minister for Foreign Affairs, Uganda has no capacity to take in more people."
    assert officials(text) == {}


def test_an_office_that_runs_removals_belongs_to_the_deporting_state() -> None:
    text = ("Belgium deported 30 Congolese men to Congo in March, and Belgium has sent more since. "
            "Asylum minister Eva Dirks said the Congo plan worked. Migration minister Tom Smet agreed.")
    found = officials(text)
    assert found["Eva Dirks"] == "BEL" and found["Tom Smet"] == "BEL"


def test_the_office_holder_facing_a_counterpart_is_of_the_other_party() -> None:
    text = ("Ireland agreed with Ghana to return rejected asylum seekers, and Ireland has sent nine so far. "
            "Minister Sean Byrne met his Ghanaian counterpart on Friday. "
            "Minister Kwame Asante discussed the deal with Ireland.")
    found = officials(text)
    assert found["Sean Byrne"] == "IRL" and found["Kwame Asante"] == "GHA"


def test_a_campaign_groups_director_is_no_official() -> None:
    text = "Lena Park, director of the Refugee Rights Network, said Canada deported 40 people to Haiti."
    assert "Lena Park" not in officials(text)


# --- lists under a head noun, places, relative clauses, background dates ---------------------------


@pytest.mark.parametrize("text, expected", [
    ("Sweden has deported people to the small Asian nations of Laos, Bhutan and Nepal.",
     {("LAO", "SWE"), ("BTN", "SWE"), ("NPL", "SWE")}),
    ("Norway deported 40 people last year. Its officials are working out safe third country agreements with a "
     "few countries, including Ghana and Togo.", {("GHA", "NOR"), ("TGO", "NOR")}),
])
def test_a_list_after_a_head_noun_plays_the_role_of_the_head(text: str, expected: set[tuple[str, str]]) -> None:
    assert pairs(text) == expected


def test_plural_agreement_words_state_a_deal_and_talks_about_one_do_not() -> None:
    assert shown_status("Peru signed agreements with Canada to receive deportees.", "PER", "CAN") == "agreed"
    text = "Norway deported 40 people last year. It is negotiating safe third country agreements with Ghana."
    assert shown_status(text, "GHA", "NOR") == "negotiating"


def test_a_capital_in_apposition_is_a_place_not_a_party() -> None:
    text = ("Chad refused to accept deportees from France. Later the French embassy in the country's capital, "
            "N'Djamena, suspended visa services.")
    assert shown_status(text, "TCD", "FRA") == "refused"


def test_a_removal_word_in_a_relative_clause_about_the_people_sets_no_status() -> None:
    text = ("Fiji has signed a memorandum with New Zealand to take up to 40 people who cannot be returned to "
            "their home countries.")
    assert shown_status(text, "FJI", "NZL") == "agreed"


def test_a_date_in_a_temporal_clause_belongs_to_that_clause() -> None:
    text = ("Denmark deported 12 Iraqi men to Iraq on Tuesday. It was the first removal to Iraq since the "
            "talks collapsed in March 2019.")
    history = [d for f in facts(text, published="2025-06-05") for d in f.get("dates", ())]
    assert "2019-03" not in history
    assert shown_status(text, "IRQ", "DNK", published="2025-06-05") == "implemented"


def test_a_country_where_the_people_were_held_is_a_stop_not_the_deporter() -> None:
    text = ("Canada deported nine men to Chad in March. They were stranded for weeks in Mali first. "
            "The flight from Mali to Chad finally left on Monday.")
    assert ("TCD", "MLI") not in pairs(text)
    assert {(f["subject"], f["object"]) for f in facts(text, "TRANSIT_VIA")} == {("agr-CAN-TCD", "MLI")}


def test_a_country_that_holds_and_deports_stays_the_deporter() -> None:
    text = "Migrants detained in Malaysia for months were deported from Malaysia to Myanmar on Tuesday."
    assert pairs(text) == {("MMR", "MYS")}


@pytest.mark.parametrize("text, ruling", [
    ("Italy moved 12 men to Albania. A court in Rome refused to validate their detention.", "blocked"),
    ("Britain sent no one to Rwanda yet. The Supreme Court ruled the plan was unlawful.", "ruled unlawful"),
    ("Norway's scheme to deport families to Ghana is unlawful, the Supreme Court has ruled.", "ruled unlawful"),
])
def test_court_rulings_read_from_their_structure(text: str, ruling: str) -> None:
    assert [f["ruling"] for f in facts(text, "BLOCKED_BY")] == [ruling]


def test_a_relative_clause_is_a_clause_of_its_own() -> None:
    text = "Finland sought a deal with Togo, which a court in Helsinki later ruled unlawful."
    assert [text[a:b] for a, b in clause_spans(text)][-1] == "which a court in Helsinki later ruled unlawful."
    text = ("Finland pays Togo for taking its deportees. The money is part of a plan to widen the scheme, which "
            "was ruled unlawful by the Supreme Court in May.")
    assert [(f["subject"], f["ruling"]) for f in facts(text, "BLOCKED_BY")] == [("agr-FIN-TGO", "ruled unlawful")]


def test_a_court_clause_that_names_no_host_rules_on_the_arrangement_named_last() -> None:
    text = ("Belgium plans to deport Afghans to Uzbekistan, a court heard. Brussels already flew 20 Eritreans to "
            "Rwanda in March. Judges have since stopped such flights.")
    assert {f["subject"] for f in facts(text, "BLOCKED_BY")} == {"agr-BEL-RWA"}


def test_a_court_clause_that_refers_to_a_place_keeps_the_articles_arrangement() -> None:
    text = ("Belgium flew 20 men to Rwanda. Rwanda gave them papers. Rwanda said they were safe. Officials of "
            "Belgium met 12 Chadians. A court ruling allowed Belgium to send more people to the small east "
            "African nation.")
    assert {f["subject"] for f in facts(text, "ALLOWED_BY")} == {"agr-BEL-RWA"}


@pytest.mark.parametrize("text", [
    "The state can deport the 30 Sudanese to Chad, but may not hold them for long, a high court ruled on Monday.",
    "A judge ruled on Friday that the men may be deported to Chad.",
])
def test_a_finding_that_a_removal_may_go_ahead_is_an_allowing_ruling(text: str) -> None:
    article = "Canada agreed to send asylum seekers to Chad. " + text
    assert {(f["subject"], f["object"]) for f in facts(article, "ALLOWED_BY")} == {("agr-CAN-TCD", "can-courts")}


def test_a_finding_that_a_removal_may_not_go_ahead_allows_nothing() -> None:
    article = "Canada agreed to send asylum seekers to Chad. A judge ruled that the men cannot be deported."
    assert facts(article, "ALLOWED_BY") == []


def test_an_order_to_pause_removals_is_a_block() -> None:
    text = "Canada flew 30 Haitians to Chad. A federal judge then issued an order to pause the flights."
    assert [f["ruling"] for f in facts(text, "BLOCKED_BY")] == ["blocked"]


def test_a_denial_of_reports_is_no_refusal() -> None:
    text = "Canada deported 40 Sudanese to Chad in May. Canadian officials denied reports that they pay Chad."
    assert {f["status"] for f in facts(text)} == {"implemented"}


def test_a_refusal_word_before_people_describes_them() -> None:
    text = "Under the pact, rejected asylum applicants from Canada would be sent to Chad."
    assert "refused" not in {f["status"] for f in facts(text)}


def test_an_official_reporting_a_removal_to_a_country_serves_the_removing_state() -> None:
    text = ("Ghana deported six Togolese on Monday. Transport Minister Kofi Mensah confirmed that officers "
            "returned the six to Togo on Friday.")
    [official] = facts(text, "Official")
    assert official["country_iso3"] == "GHA"


def test_a_flight_that_halts_in_a_country_makes_a_stop_not_a_block() -> None:
    text = "The first deportation flight of Haitians from Canada left on Monday, halted briefly in Mali."
    assert "blocked" not in {f["status"] for f in facts(text)}


@pytest.mark.parametrize("text", [
    "Canada has deported about 300 Haitians to third countries this year.",
    "Haitians were the largest group of deportees Canada sent to countries where they were neither born nor lived.",
])
def test_people_sent_to_third_countries_are_not_sent_home(text: str) -> None:
    assert ("HTI", "CAN") not in pairs(text)


def test_people_of_a_region_are_of_no_country() -> None:
    text = "For years Algeria has deported thousands of West and Central Africans to Niger."
    assert pairs(text) == {("NER", "DZA")}
    assert not any("CAF" in f["nationalities"] for f in facts(text))


def test_a_place_named_with_its_country_is_the_destination() -> None:
    assert pairs("A Canadian deportation flight landed in Sarh, a southern city in Chad, on Monday.") == {
        ("TCD", "CAN")}


def test_a_country_a_statement_comes_from_is_no_origin_of_removals() -> None:
    text = ("When a Canadian deportation flight landed in Chad, officers removed the chains, according to a "
            "statement from Chad's Interior Ministry.")
    assert pairs(text) == {("TCD", "CAN")}


def test_hosts_asked_in_the_passive_are_asked_by_the_deporter() -> None:
    text = "Togo, Benin and Niger have been approached by Norway to take in deportees who are not their citizens."
    assert pairs(text) == {("TGO", "NOR"), ("BEN", "NOR"), ("NER", "NOR")}


@pytest.mark.parametrize("text", [
    "Among the nations that have received Norway's deportees are Togo and Benin.",
    "The countries that have agreed to take Norway's deportees include Togo and Benin.",
])
def test_a_list_named_after_a_plural_reference_and_a_deporters_people(text: str) -> None:
    assert pairs(text) == {("TGO", "NOR"), ("BEN", "NOR")}


def test_countries_asked_about_taking_people_are_who_refuse() -> None:
    text = "Three other countries — Togo, Benin and Ghana — approached by Norway about taking the men have refused."
    assert {(f["subject"], f["status"]) for f in facts(text)} == {("TGO", "refused"), ("BEN", "refused"),
                                                                  ("GHA", "refused")}
    assert shown_status("Norway deported 30 Iraqis to Togo, but many of the men refused to board.", "TGO",
                        "NOR") == "implemented"


def test_a_country_that_acts_as_a_safe_third_country_is_the_host() -> None:
    text = ("Togo's government said it will publish the agreement it signed with Canada to act as a safe third "
            "country for deported asylum seekers. Togo's police will process the deportees. Togo's government "
            "will house the deportees.")
    assert pairs(text) == {("TGO", "CAN")}


def test_where_people_set_out_from_is_not_who_removes_them() -> None:
    text = ("Malta and Tunisia signed an agreement by which migrants trying to reach the island from Tunisia "
            "would be intercepted and sent back.")
    assert ("MLT", "TUN") not in pairs(text)


def test_an_office_holder_with_nothing_else_to_go_by_is_of_the_datelines_country() -> None:
    text = ("ACCRA, Ghana (AP) — The United States deported 14 people on Friday. The United States said the "
            "United States would send more. Transport Minister Kofi Mensah said the flight had landed.")
    [official] = facts(text, "Official")
    assert (official["country_iso3"], official["extractor"]) == ("GHA", "official/title+dateline-state@1")


def test_a_speaker_of_parliament_is_an_office_holder() -> None:
    text = "Malta returned 40 migrants to Libya. Anna Borg, speaker of the Maltese parliament, defended it."
    assert [(f["name"], f["country_iso3"]) for f in facts(text, "Official")] == [("Anna Borg", "MLT")]


@pytest.mark.parametrize("text", [
    "Norway deported 40 Iraqis last year. Norway is trying to get countries such as Togo and Benin to take the men.",
    "Norway deported 40 Iraqis last year. Norway has urged Togo and Benin to accept more of them.",
])
def test_those_asked_to_take_people_are_the_hosts(text: str) -> None:
    assert {("TGO", "NOR"), ("BEN", "NOR")} <= pairs(text)


def test_suspects_of_a_nationality_are_that_nationality() -> None:
    [fact] = facts("Norway deported 12 Iraqi suspects to Togo on Monday.")
    assert (fact["subject"], fact["nationalities"], fact["third_country"]) == ("TGO", ("IRQ",), True)


def test_the_subject_of_a_status_verb_governing_a_removal_is_the_deporter() -> None:
    assert pairs("Denmark agreed to send 40 asylum seekers to Kenya.") == {("KEN", "DNK")}
    assert shown_status("Portugal has refused to deport Angolans to Angola.", "AGO", "PRT") == "refused"


def test_an_arrangement_named_by_its_kind_with_partners_is_a_deal_of_its_subject() -> None:
    text = "Sweden has also reached return agreements with several countries, including Iraq and Somalia."
    assert pairs(text) == {("IRQ", "SWE"), ("SOM", "SWE")}


def test_a_relative_clause_about_people_and_an_acceptance_of_a_verb_report_no_removal() -> None:
    text = "Belize said it would receive migrants from other countries who were deported by the United States."
    assert shown_status(text, "BLZ", "USA") != "implemented"
    assert shown_status("Togo accepted to receive 60 deportees from France over two years.", "TGO", "FRA") \
        == "agreed"


def test_a_sum_before_in_exchange_for_and_a_sum_that_prices_a_deal_are_payments() -> None:
    text = "Chad confirmed receiving $3 million from France in exchange for taking in migrants deported from France."
    assert [(f["subject"], f["object"], f["amount_usd"]) for f in facts(text, "PAID")] == [("FRA", "TCD", 3e6)]
    text = "Gabon took 20 deportees from Spain. The move is part of a $4 million deal between Spain and Gabon."
    assert [(f["subject"], f["object"], f["amount_usd"]) for f in facts(text, "PAID")] == [("ESP", "GAB", 4e6)]


def test_what_is_to_be_done_or_feared_is_no_removal_done() -> None:
    assert shown_status("Twelve Men Held in Oman to Be Deported to Yemen, Officials Say", "YEM", "OMN") \
        != "implemented"
    text = ("Denmark agreed to send asylum seekers to Kenya. Judges feared a risk of people sent to Kenya "
            "being wrongly deported to Somalia.")
    assert shown_status(text, "KEN", "DNK") == "agreed"


def test_people_allowed_to_speak_is_no_ruling_that_allows_removals() -> None:
    text = "Peru deported 30 people to Bolivia. A judge ruled they must be allowed to see a lawyer."
    assert facts(text, "ALLOWED_BY") == [] and facts(text, "BLOCKED_BY") == []


# --- money received, funders in compounds, by office holders ---------------------------------------


def test_a_country_that_receives_a_sum_is_paid_by_the_state_it_takes_deportees_from() -> None:
    text = ("Tonga signed a deal with Australia to take people Australia cannot deport. In exchange, Tonga "
            "will receive A$30 million over five years.")
    [paid] = facts(text, "PAID")
    assert (paid["subject"], paid["object"], paid["currency"]) == ("AUS", "TON", "AUD")


def test_money_received_with_no_arrangement_between_the_two_is_no_payment() -> None:
    text = "Canada deported 40 people to Haiti. Separately, Fiji will receive $5 million for new schools."
    assert facts(text, "PAID") == []


@pytest.mark.parametrize("text, funder", [
    ("A Canadian deportation flight took 30 men to Haiti on a Canada-chartered plane.", "CAN"),
    ("Uzbekistan agreed to take back its citizens from the United States and to pay the costs of the flights.",
     "UZB"),
])
def test_the_funder_is_the_compound_or_the_acting_country(text: str, funder: str) -> None:
    assert [f["object"] for f in facts(text, "FUNDED_BY")] == [funder]


def test_a_generic_court_name_qualified_by_another_country_is_not_the_us_court() -> None:
    text = ("Israel sends asylum seekers to Rwanda. Israel's Supreme Court ruled the transfers unlawful on "
            "Monday.")
    [blocked] = facts(text, "BLOCKED_BY")
    assert blocked["object"] == "isr-courts"


def test_the_subject_of_a_relative_clause_after_to_which_is_no_destination() -> None:
    text = "Ghana and Togo are among the states to which Norway sends rejected asylum seekers."
    assert pairs(text) == {("GHA", "NOR"), ("TGO", "NOR")}


def test_a_phrase_closed_by_a_comma_gives_the_next_country_no_role_and_a_funder_removes_no_one() -> None:
    text = ("Chile deported 60 people to Peru. According to the ministry, Peru fully funded the flight, "
            "so Chile paid nothing.")
    assert pairs(text) == {("PER", "CHL")}
    assert [f["object"] for f in facts(text, "FUNDED_BY")] == ["PER"]


def test_the_state_whose_armed_forces_or_police_carry_out_removals_is_the_deporter() -> None:
    text = ("BANGKOK: A total of 400 Lao nationals were deported with the help of the Thai police on Monday. "
            "They were deported from a navy base in the south.")
    assert pairs(text) == {("LAO", "THA")}


@pytest.mark.parametrize("text, host, deporter, status", [
    ("Peru agreed to take 30 deportees from Chile. Peru's foreign ministry declined to comment on the details.",
     "PER", "CHL", "agreed"),
    ("Spain signed a deal with Ghana on sending rejected asylum seekers to Ghana.", "GHA", "ESP", "agreed"),
    ("Chile deported 50 men to Haiti in May. Haiti's civil war that ended in 2004 left deep scars.",
     "HTI", "CHL", "implemented"),
    ("Chile deported 50 men to Haiti in May. Many left abandoned children behind in Haiti.",
     "HTI", "CHL", "implemented"),
    ("Fiji agreed to receive deportees from Australia. Fiji has the right to reject anyone.", "FJI", "AUS", "agreed"),
    ("Chile sent ten men to Peru, their home countries unwilling to take them back.", "PER", "CHL", "implemented"),
])
def test_a_status_word_said_of_something_else_changes_no_status(text: str, host: str, deporter: str,
                                                                status: str) -> None:
    assert shown_status(text, host, deporter) == status


@pytest.mark.parametrize("text, host, deporter, status", [
    ("Belize was asked to take deportees from Mexico. Belize has accepted the offer.", "BLZ", "MEX", "agreed"),
    ("Lawyers said the men from Canada were in danger of being sent to Haiti.", "HTI", "CAN", "requested"),
    ("Canada paid for the scheme. It has transferred $5 million to Haiti so that Haiti takes deportees from Canada.",
     "HTI", "CAN", "requested"),
    ("Peru plans to deport 40 Chileans to Chile. A judge in Lima has tried to block the deportations.",
     "CHL", "PER", "requested"),
])
def test_what_did_not_happen_yet_is_no_removal_or_block(text: str, host: str, deporter: str, status: str) -> None:
    assert shown_status(text, host, deporter) == status


def test_officials_of_a_territory_belong_to_its_state_and_curly_apostrophes_make_no_new_person() -> None:
    text = ("Australia sent 20 people to Nauru. Commander Ann Reid, head of the force on Christmas Island, said "
            "more would go. Prime Minister Peter O’Neill of Papua New Guinea agreed to take deportees from Australia.")
    officials = {f["subject"]: f["country_iso3"] for f in facts(text, "Official")}
    assert officials.get("ann-reid") == "AUS"
    assert officials.get("peter-o-neill") == "PNG"


def test_a_federation_named_only_by_a_description_is_its_country() -> None:
    text = ("Saint Kitts and Nevis agreed to take deportees from the United States. Prime Minister of the "
            "twin-island federation, Hugh Tate, confirmed the deal.")
    assert {f["subject"]: f["country_iso3"] for f in facts(text, "Official")}.get("hugh-tate") == "KNA"


# --- agencies that act ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, agency, agreement, role", [
    ("ICE deported 40 Ghanaians to Ghana on Monday.", "usa-ice", "agr-GHA-USA", "carried out"),
    ("The Home Office said 20 people were flown to Rwanda.", "gbr-home-office", "agr-GBR-RWA", "announced"),
    ("According to DHS, the United States sent 90 men to Honduras.", "usa-dhs", "agr-HND-USA", "announced"),
    ("IOM flew 150 migrants from Libya to Nigeria.", "un-iom", "agr-LBY-NGA", "carried out"),
])
def test_an_agency_that_carries_out_or_announces_a_removal_acts_in_its_agreement(
        text: str, agency: str, agreement: str, role: str) -> None:
    assert [(f["subject"], f["object"], f["role"]) for f in facts(text, "ACTED_IN")] == [(agency, agreement, role)]


@pytest.mark.parametrize("text", [
    "A judge blocked ICE from deporting 40 Ghanaians to Ghana.",
    "ICE could send 40 Ghanaians to Ghana next year, lawyers warned.",
    "The White House deported 40 Ghanaians to Ghana.",
])
def test_no_agency_acts_in_what_was_stopped_may_happen_or_the_state_did_itself(text: str) -> None:
    assert facts(text, "ACTED_IN") == []


def test_deportees_said_not_to_come_from_the_host_make_it_a_third_country() -> None:
    text = ("Morocco deported 300 migrants to Mauritania under a 2003 accord on the return of Mauritanian "
            "nationals. Most of the deportees are not from Mauritania, aid workers said.")
    assert any(f["third_country"] for f in facts(text) if (f["subject"], f["object"]) == ("MRT", "MAR"))


def test_a_man_from_a_country_is_its_national_not_the_deporter() -> None:
    assert pairs("Italy deported a man from Laos to Vietnam.") == {("VNM", "ITA")}
    assert pairs("Officials flew 119 migrants from the United States to Panama.") == {("PAN", "USA")}


def test_a_fee_paid_after_an_in_exchange_clause_is_read_from_the_next_payment_word() -> None:
    text = ("Spain will deport 40 migrants to Mali. In exchange for the deal, a $4 million fee the interior "
            "ministry paid to Mali was agreed.")
    [paid] = facts(text, "PAID")
    assert (paid["subject"], paid["object"], paid["amount_usd"]) == ("ESP", "MLI", 4_000_000)


def test_a_sum_received_in_the_next_sentence_is_paid_by_the_partner() -> None:
    [paid] = facts("Norway will send 20 people to Tonga. In exchange, Tonga gets $3.2m.", "PAID")
    assert (paid["subject"], paid["object"], paid["amount_usd"]) == ("NOR", "TON", 3_200_000)


def test_a_stop_named_in_a_sentence_without_a_host_is_transit_of_the_last_arrangement() -> None:
    text = "Sweden deported 12 men to Iraq on Tuesday. En route the plane refuelled in Greece."
    assert [(f["subject"], f["object"]) for f in facts(text, "TRANSIT_VIA")] == [("agr-IRQ-SWE", "GRC")]
    text = "Sweden deported 12 men to Iraq on Tuesday. They spent a night in Qatar, where they changed planes."
    assert [(f["subject"], f["object"]) for f in facts(text, "TRANSIT_VIA")] == [("agr-IRQ-SWE", "QAT")]


def test_the_aide_of_a_known_office_holder_shares_their_country() -> None:
    text = ("Nigerian President Ada Okafor agreed to take deportees from the United States. President Okafor's "
            "adviser, Tunde Bello, said more would come.")
    assert {f["subject"]: f["country_iso3"] for f in facts(text, "Official")}["tunde-bello"] == "NGA"


def test_a_place_where_the_deported_are_held_on_the_way_is_transit() -> None:
    text = "Ten men deported from Canada to Haiti will be held temporarily in Jamaica after a court ruling."
    assert [(f["subject"], f["object"]) for f in facts(text, "TRANSIT_VIA")] == [("agr-CAN-HTI", "JAM")]
    text = "The plane made two stopovers along the way, including in Spain."
    assert facts("Chile deported 12 men to Mali. " + text, "TRANSIT_VIA")[0]["object"] == "ESP"


def test_asylum_seekers_sent_to_a_country_whose_people_the_article_names_are_going_home() -> None:
    text = "Germany resumed deportations of asylum seekers to Iraq. The 30 Iraqi men had lost their cases."
    assert not any(f["third_country"] for f in facts(text))
    assert any(f["third_country"] for f in facts("Denmark will send asylum seekers to Rwanda."))


def test_a_country_followed_by_its_request_is_the_one_asking() -> None:
    text = "Nigeria has rejected U.S. calls to accept deported Venezuelans."
    assert pairs(text) == {("NGA", "USA")}
    assert shown_status(text, "NGA", "USA") == "refused"


@pytest.mark.parametrize("text, expected", [
    ("The United States deported 40 people last year. Dominica had signed a similar MOU with the United States.",
     {("DMA", "USA")}),
    ("The United States deported 40 people last year. Antigua and Barbuda, as well as Dominica, had both signed "
     "similar MOUs with the United States.", {("ATG", "USA"), ("DMA", "USA")}),
])
def test_a_similar_deal_with_the_deporting_state_is_the_same_kind_of_arrangement(
        text: str, expected: set[tuple[str, str]]) -> None:
    assert pairs(text) == expected
    assert all(shown_status(text, host, deporter) == "agreed" for host, deporter in expected)


def test_weekdays_date_the_steps_of_a_story_so_a_later_block_shows() -> None:
    text = ("Italy moved 16 men to Albania on Wednesday. On Friday a court in Rome blocked their detention in "
            "Albania.")
    assert shown_status(text, "ALB", "ITA", published="2024-10-18") == "blocked"
    dates = {d for f in facts(text, published="2024-10-18") for d in f.get("dates", ())}
    assert {"2024-10-16", "2024-10-18"} <= dates


def test_an_ambassador_to_a_country_serves_the_state_that_sent_them() -> None:
    text = ("Palau signed a deal with the United States to take deportees. Palau's minister of state, Ana Rell, "
            "and the U.S. ambassador to Palau, Joel Marsh, signed it.")
    officials = {f["subject"]: f["country_iso3"] for f in facts(text, "Official")}
    assert officials.get("joel-marsh") == "USA" and officials.get("ana-rell") == "PLW"


def test_a_payee_named_by_reference_at_the_end_of_the_clause() -> None:
    text = ("The United States sent 10 men to Eswatini. In return, the U.S. has pledged over $5 million to provide "
            "logistical and administrative assistance to the kingdom.")
    [paid] = facts(text, "PAID")
    assert (paid["subject"], paid["object"], paid["amount_usd"]) == ("USA", "SWZ", 5_000_000)


def test_an_office_named_after_a_rank_word_is_no_person() -> None:
    text = ("Lebanon handed 10 Syrian detainees to Syria under orders of Sami Haddad, the head of Lebanese General "
            "Security, activists said.")
    assert "security" not in {f["subject"] for f in facts(text, "Official")}


def test_a_flight_that_departed_or_took_off_carried_out_the_removal() -> None:
    text = "A charter flight with 40 Iraqi deportees from Sweden took off for Baghdad on Monday."
    assert shown_status(text, "IRQ", "SWE") == "implemented"


def test_a_country_in_a_company_name_is_no_state() -> None:
    text = "A Qatar Airways flight carrying 28 Afghan men departed from Germany for Kabul."
    assert pairs(text) == {("AFG", "DEU")}


def test_a_quantifier_after_an_auxiliary_leaves_the_participle_a_verb() -> None:
    text = "Rwanda, Uganda and Eswatini have all accepted deportees from the United States."
    assert {shown_status(text, host, "USA") for host in ("RWA", "UGA", "SWZ")} == {"implemented"}


def test_a_removal_of_no_one_names_the_pair_but_moves_nobody() -> None:
    assert shown_status("Two years on, the UK has sent no one to Rwanda.", "RWA", "GBR") == "requested"
    assert shown_status("The UK sent four men to Rwanda.", "RWA", "GBR") == "implemented"
    assert shown_status("The UK signed a deal with Rwanda, but no one has actually been sent to Rwanda.",
                        "RWA", "GBR") == "agreed"


def third(text: str) -> dict[str, bool]:
    return {f["subject"]: f["third_country"] for f in facts(text)}


def test_people_of_a_region_sent_to_one_country_make_it_a_third_country() -> None:
    assert third("Ghana has received 14 West Africans deported from the United States.") == {"GHA": True}
    assert third("Panama took 299 Asians deported by the United States.") == {"PAN": True}
    # spread over the region's own countries, each may be taking its own
    assert not any(third("The US deports Central Americans to Guatemala, Honduras and El Salvador.").values())


def test_a_denied_nationality_is_no_nationality_of_the_deportees() -> None:
    [fact] = facts("Mexico has accepted thousands of non-Mexicans expelled by the US.")
    assert fact["nationalities"] == () and fact["third_country"] is True


def test_a_state_body_between_country_and_title_keeps_the_country() -> None:
    text = "Eswatini government spokesperson Lindi Dube said the five men deported from the US were held."
    assert {f["subject"]: f["country_iso3"] for f in facts(text, "Official")} == {"lindi-dube": "SWZ"}


def paid(text: str) -> set[tuple[str, str | None, float | None]]:
    return {(f["subject"], f["object"], f.get("amount_usd")) for f in facts(text, "PAID")}


def test_a_payment_in_the_passive_is_paid_by_its_agent() -> None:
    text = "The US deported 10 men to Rwanda. Rwanda has been given an initial grant of $100,000 by Washington."
    assert paid(text) == {("USA", "RWA", 100_000)}


def test_a_payment_to_a_list_of_countries_is_a_total_for_each_of_them() -> None:
    text = "The US paid Guatemala, Honduras and El Salvador a total of $20 million to take deportees."
    assert paid(text) == {("USA", "GTM", None), ("USA", "HND", None), ("USA", "SLV", None)}


def test_an_arrangement_that_gives_a_sum_is_paid_by_the_deporter() -> None:
    assert paid("The US deported 7 men to Rwanda. The agreement gives Rwanda $7.5 million.") == {
        ("USA", "RWA", 7_500_000)}


def test_a_country_joined_to_a_court_word_by_a_conjunction_is_not_where_the_court_sits() -> None:
    text = "Israel deported hundreds of Eritreans to Uganda until the Supreme Court struck down the policy in 2018."
    assert {f["object"] for f in facts(text, "BLOCKED_BY")} == {"isr-courts"}
    assert {f["object"] for f in facts("Kenya's High Court suspended the deal to take migrants from Britain.",
                                       "BLOCKED_BY")} == {"ken-courts"}


def test_removals_resumed_are_carried_out_by_the_subject() -> None:
    assert shown_status("Germany resumed deportations to Afghanistan.", "AFG", "DEU") == "implemented"
    assert shown_status("Germany will resume deportations to Afghanistan.", "AFG", "DEU") == "requested"


def test_of_two_states_named_as_the_subject_the_one_not_the_destination_sends() -> None:
    assert pairs("Denmark and Rwanda agreed in 2023 to explore sending asylum seekers to Rwanda.") == {("RWA", "DNK")}


def transit(text: str) -> set[tuple[str, str]]:
    return {(f["subject"], f["object"]) for f in facts(text, "TRANSIT_VIA")}


def test_a_stop_told_in_a_sentence_with_no_host_is_on_the_way_of_the_last_arrangement() -> None:
    text = ("The United States deported eight men to South Sudan. The men were held for weeks in Djibouti "
            "before being flown on.")
    assert transit(text) == {("agr-SSD-USA", "DJI")}
    text = ("The United States deported eight men last week. The men spent weeks at a US base in Djibouti "
            "before they were flown to South Sudan.")
    assert transit(text) == {("agr-SSD-USA", "DJI")}


def test_a_headline_infinitive_names_the_deporting_state() -> None:
    assert pairs("Norway to fly failed asylum seekers to Ghana") == {("GHA", "NOR")}


def test_a_clause_opened_after_a_preposition_closes_its_phrase() -> None:
    text = "The High Court in Copenhagen ruled on Thursday that Denmark may transfer asylum seekers to Tanzania."
    assert pairs(text) == {("TZA", "DNK")}


def test_a_country_joined_to_brokered_is_a_mediator() -> None:
    assert pairs("Germany deported 28 Afghans to Kabul under a Qatar-brokered arrangement.") == {("AFG", "DEU")}


def test_a_country_after_air_names_an_airline() -> None:
    text = "Indian workers have left Kuwait on Air India flights since the amnesty began."
    assert "IND" not in {deporter for _, deporter in pairs(text)}


def test_resettlement_is_taking_people_in() -> None:
    assert pairs("Canada resettles 600 Afghans who had sheltered in Pakistan.") == set()
    assert pairs("Rwanda will resettle migrants from the United Kingdom.") == {("RWA", "GBR")}


def test_sending_officials_is_no_removal() -> None:
    text = ("Kuwait has asked Sri Lanka and Nepal to take back their overstayers. Colombo and Kathmandu have "
            "agreed to send officials to issue emergency travel documents.")
    assert pairs(text) == {("LKA", "KWT"), ("NPL", "KWT")}


def test_hosts_listed_as_the_subject_take_people_from_the_state_that_intercepted_them() -> None:
    text = "Kiribati and Tuvalu have both taken asylum seekers intercepted by Australia's navy since 2024."
    assert pairs(text) == {("KIR", "AUS"), ("TUV", "AUS")}


def test_nationals_removed_through_a_stop_go_home() -> None:
    text = "Bahrain deported 60 Pakistani workers on a flight that took them through Doha to Lahore."
    assert pairs(text) == {("PAK", "BHR")}
    assert transit(text) == {("agr-BHR-PAK", "QAT")}


def test_a_listed_offshore_site_names_its_country() -> None:
    assert pairs("Australia will transfer six asylum seekers to Manus Island.") == {("PNG", "AUS")}


def test_a_spokesperson_speaks_for_the_state_their_words_are_about() -> None:
    text = ("Canada deported 20 people to Guyana. The South American country will now issue them residence "
            "cards, Interior Minister Carla Benes said.")
    assert officials(text)["Carla Benes"] == "GUY"
    text = ("Austria has asked Bosnia and Herzegovina to host a centre for rejected asylum seekers, Interior "
            "Minister Gerd Lind said on Tuesday.")
    assert officials(text)["Gerd Lind"] == "AUT"


def test_a_rejected_claim_or_a_person_who_cannot_be_sent_is_no_refusal_of_the_deal() -> None:
    text = "South Korea flew twelve foreigners whose asylum claims were rejected to Cambodia on Monday."
    assert shown_status(text, "KHM", "KOR") == "implemented"
    text = ("Uganda struck a deal with the Netherlands on Tuesday to receive rejected asylum seekers who cannot "
            "be sent home.")
    assert shown_status(text, "UGA", "NLD") == "agreed"


def test_a_demonym_before_a_request_is_the_requesting_state() -> None:
    assert shown_status("Bolivia turns down Chilean request to readmit migrants", "BOL", "CHL") == "refused"
    assert shown_status("Tunisia rejects Italian plea to take non-Tunisian migrants", "TUN", "ITA") == "refused"


def test_a_status_verb_governs_a_removal_across_a_time_phrase() -> None:
    text = "Norway agreed in June 2025 to send a small number of rejected asylum seekers to Rwanda."
    assert pairs(text) == {("RWA", "NOR")}


def test_a_payment_in_the_progressive_is_paid_by_its_subject() -> None:
    assert paid("The U.S. government is paying El Salvador $6 million to keep the detainees.") == {
        ("USA", "SLV", 6_000_000)}


def test_a_comma_before_a_new_subject_and_its_verb_opens_a_clause() -> None:
    text = ("Italy has sent migrants to Albania, the Netherlands has signed an arrangement with Uganda, "
            "and Denmark has agreed to rent cells.")
    assert [text[a:b].split()[0] for a, b in clause_spans(text)] == ["Italy", "the", "and"]
    # a list keeps its members together, and a tag reporting the clause before stays with it
    assert len(clause_spans("Chad, Niger, and Gabon have taken deportees.")) == 1
    assert len(clause_spans("The scheme is unlawful, the Supreme Court has ruled.")) == 1


def test_each_clause_of_a_joined_sentence_keeps_its_own_deporter() -> None:
    text = "Italy has sent migrants to Albania, the Netherlands has signed an arrangement with Uganda."
    assert pairs(text) == {("ALB", "ITA"), ("UGA", "NLD")}


def test_of_two_states_signing_on_the_return_of_one_states_people_the_other_sends() -> None:
    text = "Britain and Iraq signed an agreement on Sunday to speed up the return of Iraqis with no right to remain."
    assert pairs(text) == {("IRQ", "GBR")}


def test_a_flight_that_stopped_somewhere_names_a_stop_on_the_way() -> None:
    text = "The US deported 30 men to Paraguay. The flight that brought them had stopped overnight in Panama."
    assert transit(text) == {("agr-PRY-USA", "PAN")}


def test_a_list_that_removes_gives_each_state_its_pair_and_a_list_that_takes_in_none() -> None:
    assert pairs("Austria and Sweden have also deported Afghans to Kabul since 2025.") == {
        ("AFG", "AUT"), ("AFG", "SWE")}
    assert pairs("Chad, Niger and Gabon have taken deportees from Washington.") == {
        ("TCD", "USA"), ("NER", "USA"), ("GAB", "USA")}


def test_a_court_that_cleared_an_agreement_allowed_it() -> None:
    text = ("Kosovo's Constitutional Court on Thursday cleared an agreement under which Kosovo will take foreign "
            "inmates whom Sweden intends to deport.")
    assert [f["ruling"] for f in facts(text, "ALLOWED_BY")] == ["allowed"]


def test_a_host_holding_deportees_or_hosting_them_on_behalf_of_a_state() -> None:
    assert pairs("Eswatini is holding five men deported by the US.") == {("SWZ", "USA")}
    assert pairs("Kosovo will host up to 50 deportees a year on behalf of Washington.") == {("XKX", "USA")}
    assert pairs("The US is holding talks with Ghana on trade.") == set()


def test_a_denying_subject_says_the_deportees_are_not_from_the_host() -> None:
    assert third("The US deported five men to Eswatini. None of the men is from Eswatini.") == {"SWZ": True}


def test_a_status_word_said_of_an_offence_is_no_step_of_the_deal() -> None:
    text = ("Ecuador is negotiating a deal with the U.S. to receive deportees as long as they have not committed "
            "crimes, the foreign minister said.")
    assert shown_status(text, "ECU", "USA") == "negotiating"


def test_no_flights_and_money_sent_move_nobody() -> None:
    text = "Britain agreed to send asylum seekers to Rwanda. No flights to Rwanda have taken off."
    assert shown_status(text, "RWA", "GBR") == "agreed"
    text = "Britain agreed to send asylum seekers to Rwanda. By April, £140m had already been sent to Rwanda."
    assert shown_status(text, "RWA", "GBR") == "agreed"


def test_a_preposition_whose_object_is_a_time_leaves_the_next_state_the_subject() -> None:
    assert shown_status("In March 2026 Portugal asked Cape Verde to take in rejected asylum seekers.",
                        "CPV", "PRT") == "requested"
    assert pairs("On Friday Mali said it would admit forty people deported by Algeria.") == {("MLI", "DZA")}


def test_would_is_a_reported_future_after_a_speech_verb_and_a_condition_otherwise() -> None:
    assert shown_status("Chad said it would take thirty men removed by France.", "TCD", "FRA") == "agreed"
    assert shown_status("Chad would take thirty men removed by France if it were paid.", "TCD", "FRA") \
        == "requested"


def test_a_host_that_will_not_proceed_refuses() -> None:
    text = ("Greece asked Albania in May to host a centre for rejected asylum seekers. In July the Albanian "
            "government said it would not proceed.")
    assert shown_status(text, "ALB", "GRC") == "refused"


def test_a_home_secretary_runs_the_deporting_states_removals() -> None:
    text = ("Rwanda has agreed to receive rejected asylum seekers from Britain. Home Secretary Alan Pryce "
            "said flights would start in spring.")
    assert officials(text)["Alan Pryce"] == "GBR"


def test_two_office_holders_signing_together_serve_the_two_sides() -> None:
    text = ("Benin signed a pact with Norway on Friday to receive migrants whose appeals have failed. It was "
            "initialled in Cotonou by Foreign Minister Awa Sossou and Norway's Justice Minister Per Lunde.")
    assert officials(text) == {"Awa Sossou": "BEN", "Per Lunde": "NOR"}


def test_a_state_that_owns_a_thing_after_with_is_no_side_facing_an_office_holder() -> None:
    text = ("Chile flew eleven rejected asylum seekers to Bolivia on Monday. Interior Minister Rosa Paz said "
            "the flight was in line with Chile's obligations.")
    assert officials(text)["Rosa Paz"] == "CHL"


def test_a_reference_naming_a_region_stands_for_a_state_of_that_region() -> None:
    text = ("Germany signed a deal with Rwanda in May to send it rejected asylum seekers. Chile refused in June "
            "to take in people deported by Germany. In July Berlin flew 14 men to the East African country.")
    assert shown_status(text, "RWA", "DEU") == "implemented"
    assert shown_status(text, "CHL", "DEU") == "refused"
    text = ("Honduras deported 80 Cubans on Friday, the migration institute said. The flight was paid for by "
            "the United States. Security Minister Ana Reyes said the Central American country would keep "
            "sending back migrants.")
    assert officials(text)["Ana Reyes"] == "HND"


def test_every_region_names_known_states() -> None:
    gaz = load_gazetteer()
    assert gaz.region_of("the Gulf state") == frozenset({"SAU", "ARE", "KWT", "QAT", "BHR", "OMN"})
    assert "KAZ" in (gaz.region_of("the Central Asian nation") or ())
    assert gaz.region_of("the small country") is None


def test_a_spokesperson_speaks_for_a_subject_across_its_relative_clause() -> None:
    text = ("Ghana, which has a deal with Spain to receive people Madrid cannot deport, has not agreed to a "
            "similar request from Italy, Foreign Minister Kofi Mensah said on Monday.")
    assert officials(text)["Kofi Mensah"] == "GHA"


def test_a_plane_that_first_landed_or_landed_to_refuel_somewhere_stopped_there() -> None:
    text = ("Spain deported 90 Malians on Thursday. The plane first landed in Dakar, where it was cleaned. "
            "It arrived in Bamako at noon.")
    assert pairs(text) == {("MLI", "ESP")}
    assert transit(text) == {("agr-ESP-MLI", "SEN")}
    text = "Italy flew 40 Egyptians home on Monday; the charter touched down in Tunisia to refuel on the way."
    assert transit(text) == {("agr-EGY-ITA", "TUN")}


def test_people_who_stayed_somewhere_are_not_a_court_stay() -> None:
    text = "Chile deported 20 Peruvians by bus; the group stayed overnight in Arica before crossing."
    assert shown_status(text, "PER", "CHL") == "implemented"
    gaz = load_gazetteer()
    assert any(m.key == "status-blocked" for m in gaz.find_lexical("a judge stayed the removal"))
    assert not any(m.key == "status-blocked" for m in gaz.find_lexical("the passengers stayed on board"))


def test_people_removed_from_a_territory_are_removed_by_its_sovereign_state() -> None:
    assert pairs("Comoros took back 60 migrants expelled from Mayotte on Monday.") == {("COM", "FRA")}
    assert pairs("The United States deported 12 Haitians from Puerto Rico to Haiti.") == {("HTI", "USA")}


def test_a_participle_with_its_own_object_after_a_comma_is_the_verb_not_a_description() -> None:
    text = ("Ecuador, one of the states taking in Spain's deportees from countries such as Mali, received a "
            "third group of 25 people on Monday.")
    assert shown_status(text, "ECU", "ESP") == "implemented"


def test_a_list_never_spans_two_clauses_and_each_clause_subject_deals_for_its_own_place() -> None:
    text = ("Other governments have struck such deals: Spain has flown migrants to Mauritania, Belgium has signed "
            "an arrangement with Ghana, and Norway has agreed to rent prison cells in Estonia for convicts.")
    assert pairs(text) == {("MRT", "ESP"), ("GHA", "BEL"), ("EST", "NOR")}



def test_pushing_people_back_is_a_removal_and_pushing_a_state_is_a_request() -> None:
    text = "Poland pushed 30 Iraqi migrants back to Belarus on Sunday."
    assert shown_status(text, "BLR", "POL") == "implemented"
    assert shown_status("Britain pushed Rwanda to accept more asylum seekers.", "RWA", "GBR") == "requested"


def test_the_deporting_state_negotiating_with_a_list_of_states_opens_a_pair_with_each() -> None:
    text = ("Spain flew 40 rejected asylum seekers to Mauritania on Monday. Madrid is now negotiating with "
            "countries such as Senegal, Gambia and Guinea.")
    assert pairs(text) == {("MRT", "ESP"), ("SEN", "ESP"), ("GMB", "ESP"), ("GIN", "ESP")}
    assert shown_status(text, "SEN", "ESP") == "negotiating"
    text = "Spain flew 40 rejected asylum seekers to Mauritania. Officials say Senegal is negotiating with Gambia."
    assert pairs(text) == {("MRT", "ESP")}



def test_a_minister_in_a_us_deal_serves_the_other_party_since_the_us_has_no_ministers() -> None:
    text = ('The United States deported 11 men to Chad on Monday. "We have no room," said Foreign Minister '
            'Idriss Abakar.')
    assert officials(text)["Idriss Abakar"] == "TCD"
    text = "The United States deported 11 men to Chad on Monday. Homeland Security Secretary Ann Cole praised it."
    assert officials(text)["Ann Cole"] == "USA"


def test_a_city_names_its_country_as_a_place_never_as_a_state_that_acts() -> None:
    assert pairs("Oman deported 60 workers on a flight to Lahore.") == {("PAK", "OMN")}
    assert transit("Austria deported an Afghan man via Istanbul to Kabul on Tuesday.") == {("agr-AFG-AUT", "TUR")}
    assert pairs("Lahore has agreed to take 60 workers deported by Oman.") == set()


def test_a_flight_that_did_not_leave_is_no_refusal_and_court_injunctions_block() -> None:
    text = ("Britain's first flight to take asylum seekers to Rwanda has not taken off after a European court "
            "issued injunctions to stop the removals.")
    assert shown_status(text, "RWA", "GBR") == "blocked"
    assert shown_status("Ghana has not received the 40 deportees the United States flew out.", "GHA", "USA") \
        == "refused"


def test_one_deportee_s_nationality_in_an_article_about_a_host_is_not_where_he_goes() -> None:
    text = ("Britain will send asylum seekers to Rwanda. The court's ruling relating to one of the men due for "
            "deportation, an Iraqi, stated he should not be removed for three weeks.")
    assert pairs(text) == {("RWA", "GBR")}
    assert pairs("Britain deported 40 Iraqis on Tuesday.") == {("IRQ", "GBR")}


def test_a_thing_sent_is_no_removal_but_officials_who_returned_people_remove_them() -> None:
    assert pairs("Remittances sent from Spain to Morocco hit a record last year.") == set()
    text = "Kenya deported four refugees on Friday. A senior official said that officials returned them to Turkey."
    assert shown_status(text, "TUR", "KEN") == "implemented"


def test_one_person_s_fear_under_a_condition_states_no_arrangement() -> None:
    text = ("The United States sent 200 people to Costa Rica. One woman said that if she were forced to return "
            "to Iran, she would be jailed.")
    assert pairs(text) == {("CRI", "USA")}


def test_an_ordinal_subject_before_an_infinitive_states_what_was_done() -> None:
    text = ("The United States flew seven men to Rwanda in August. Rwanda is the third African nation, after "
            "South Sudan and Eswatini, to accept deportees from Washington.")
    assert shown_status(text, "SSD", "USA") == "implemented"
    assert shown_status("Washington asked Chad to accept deportees from the United States.", "TCD", "USA") \
        == "requested"


def test_a_minister_in_a_us_deal_with_several_hosts_serves_the_country_named_most_after_it() -> None:
    text = ("The United States flew 20 men to Panama and 10 to Costa Rica. Panama housed them in a hotel, and "
            "Panama later let them leave. Deputy Foreign Minister Luis Vega said it was done at Washington's "
            "request.")
    assert officials(text)["Luis Vega"] == "PAN"


def test_a_name_cut_off_where_the_stored_text_stops_is_no_official() -> None:
    text = "The United States deported 40 people to Ghana. A statement came from spokesperson Tricia McL"
    assert [f["name"] for f in facts(text, "Official")] == []
    assert [f["name"] for f in facts(text + "ane.", "Official")] == ["Tricia McLane"]


def test_people_from_a_region_sent_to_a_state_outside_it_are_not_its_nationals() -> None:
    text = "The United States sent a plane with 100 migrants, mostly from the Middle East, to Panama."
    assert [f["third_country"] for f in facts(text)] == [True]
    text = "The United States sent a plane with 100 migrants, mostly from Central America, to Guatemala."
    assert [f["third_country"] for f in facts(text)] == [False]


def test_where_a_person_crossed_from_is_no_deporter() -> None:
    text = "The court found she was wrongly expelled in 2019 after crossing the border from Turkey into Greece."
    assert pairs(text) == set()


def test_money_given_to_the_deportees_is_no_payment_between_states() -> None:
    text = "Germany deported 81 Afghans. Each deportee was given 1,000 euros in cash upon return to Afghanistan."
    assert paid(text) == set()
    assert paid("Germany paid Afghanistan 1,000 euros per deportee.") == {("DEU", "AFG", 1080)}


def test_a_demonym_naming_the_state_is_what_the_country_refers_back_to() -> None:
    text = ("Ugandan authorities met envoys from Washington on Monday. The country will accept 20 deportees from "
            "the United States, officials said.")
    assert shown_status(text, "UGA", "USA") == "agreed"


def test_a_proposal_sent_by_a_state_moves_nobody() -> None:
    assert pairs("The proposal was sent by Argentina to the United States in May.") == set()


def test_the_partner_a_referred_host_deals_with_to_receive_people_is_the_deporter() -> None:
    text = ("Chilean President Ana Soto rejected a report that the country was negotiating an agreement with "
            "Washington to receive deportees from third countries.")
    assert ("USA", "CHL") not in pairs(text)


def test_an_undated_article_reports_its_undated_steps_no_earlier_than_its_latest_date() -> None:
    text = ("Uganda signed a deal with Israel on April 8, 2018 to take in asylum seekers. Uganda has since refused "
            "to take any of them.")
    assert shown_status(text, "UGA", "ISR") == "refused"
    assert shown_status(text, "UGA", "ISR", published="2019-03-01") == "refused"


def test_a_deal_that_is_off_has_ended() -> None:
    text = "Israel had agreed to send asylum seekers to Rwanda, but the agreement with Rwanda is off, officials said."
    assert shown_status(text, "RWA", "ISR") == "ended"


def test_their_respective_home_countries_refusing_names_each_home_country() -> None:
    text = ("The United States deported seven men to Ghana. The men come from Mali, Togo and Benin. Their "
            "respective home countries refused to accept their return.")
    assert shown_status(text, "MLI", "USA") == "refused"


def test_a_state_asked_about_taking_a_person_by_name_and_at_least_is_no_place() -> None:
    text = ("The United States wants to deport him to Liberia. At least three other African countries, Chad, Mali "
            "and Niger, asked by Washington about taking Ortega have rejected the request.")
    assert shown_status(text, "MLI", "USA") == "refused"


def test_a_name_after_the_state_a_title_names_and_a_name_opening_with_an_okina() -> None:
    text = "Prime Minister of Antigua and Barbuda Gaston Browne said no deal was signed."
    assert officials(text)["Gaston Browne"] == "ATG"
    text = "Minister of Internal Affairs of Kazakhstan Kalmukhanbet Kassymov presented the readmission law."
    assert officials(text)["Kalmukhanbet Kassymov"] == "KAZ"
    assert "‘Akilisi Pohiva" in officials("Tonga's Prime Minister ‘Akilisi Pohiva said he was concerned.")


def test_where_people_were_heading_is_not_where_they_are_sent_and_i_is_no_name() -> None:
    assert pairs("Panama has sent 300 Haitian migrants, heading to the United States, back to Colombia.") == {
        ("COL", "PAN")}
    text = "New Zealand deported 20 Tongans. While I was Justice Minister, I was not told of the deportations."
    assert "I" not in officials(text)


def test_a_country_naming_a_border_is_a_place_not_a_host() -> None:
    text = ("Ghana agreed with Washington to receive West African migrants who had sought asylum at the United "
            "States-Mexico border.")
    assert pairs(text) == {("GHA", "USA")}


def test_a_state_that_confirmed_receiving_a_sum_from_another_was_paid_by_it() -> None:
    text = ("The United States deported 15 men to Eswatini. Eswatini's government has confirmed receiving $5.1m "
            "(£4m) from the United States.")
    assert paid(text) == {("USA", "SWZ", 5_100_000)}


def test_people_referred_back_to_removed_by_a_list_of_states_go_to_the_host_read_last() -> None:
    text = ("Thirty young men were flown to Kabul on Tuesday. The men were being deported by Norway, Sweden and "
            "Turkey.")
    assert pairs(text) == {("AFG", "NOR"), ("AFG", "SWE"), ("AFG", "TUR")}
    assert shown_status(text, "AFG", "NOR") == "implemented"


def test_an_official_acting_for_a_state_or_saying_her_country_would_receive_serves_it() -> None:
    text = ("Britain and Iraq signed a returns deal in Baghdad. Interior Minister Adel Karim attended the signing "
            "for Baghdad.")
    assert officials(text)["Adel Karim"] == "IRQ"
    text = ("Mexico sent 400 Honduran migrants home by bus. Deputy Foreign Minister Ana Soto said her country "
            "would receive them with dignity.")
    assert officials(text)["Ana Soto"] == "HND"
