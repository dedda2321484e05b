"""Matching and levels: the induction rule (excluded, with the reason) and the level's
bonus in the score."""

from orders.staffing.matching import explain_exclusion, rank_candidates
from performance.levels import induction_course_save
from tests.factories import LevelFactory, TrainingFactory
from tests.orders.test_matching import confirm, make_staff, require_skill_and_certificate


def test_without_the_induction_training_a_person_is_excluded_with_the_reason(
    world, book, cleaning, dispatcher, manager_actor
):
    require_skill_and_certificate(cleaning)
    order = confirm(book(), dispatcher)
    trained = make_staff(order, name="已培训")
    untrained = make_staff(order, name="未培训")
    TrainingFactory(agency=world.a.agency, staff=trained, course="岗前培训")
    # An assessment of the same name is not the training.
    TrainingFactory(agency=world.a.agency, staff=untrained, course="岗前培训", kind="assessment")

    before = {c.staff for c in rank_candidates(order=order)}
    induction_course_save(agency=world.a.agency, actor=manager_actor, course="岗前培训")
    after = {c.staff for c in rank_candidates(order=order)}

    assert before == {trained, untrained}
    assert after == {trained}
    assert explain_exclusion(order=order, staff=untrained) == [
        "Has not done the induction training (岗前培训)."
    ]
    assert explain_exclusion(order=order, staff=trained) == []


def test_the_level_bonus_adds_to_the_score(world, book, cleaning, dispatcher):
    require_skill_and_certificate(cleaning)
    order = confirm(book(), dispatcher)
    gold = LevelFactory(agency=world.a.agency, name="金牌", rank=4, matching_bonus=10)
    plain = make_staff(order, name="甲")
    graded = make_staff(order, name="乙", level=gold)

    ranked = {c.staff: c for c in rank_candidates(order=order)}

    assert ranked[graded].score - ranked[plain].score == 10.0
    assert ("+", "Level 金牌") in [tuple(r) for r in ranked[graded].reasons]
    assert "Level" not in " ".join(r.text for r in ranked[plain].reasons)
