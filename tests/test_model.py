"""The model's records."""

import dataclasses

from auditor.core.model import Action, AddressRef, Rule, Source, new_rule
from auditor.core.packets import ALL, ISet, PacketSet, cube


def test_new_rule_makes_the_same_record_as_rule():
    # the parsers' fast constructor must stay in step with the dataclass's fields
    assert list(new_rule.__code__.co_varnames[:new_rule.__code__.co_argcount]) == [
        f.name for f in dataclasses.fields(Rule)]
    s = Source("a.cfg", 3, "access-list X permit ip any any")
    ref = AddressRef(ISet.of(5), s)
    m = PacketSet([cube(dst=ISet.of(5))])
    for args, kw in [(("X", 0, Action.PERMIT, m, s), {}),
                     (("X", 2, Action.DENY, m, s), dict(enabled=False, maybe=ALL, opaque=True, addresses=(ref,),
                                                        note="time-range t"))]:
        fast, slow = new_rule(*args, **kw), Rule(*args, **kw)
        assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
        assert dataclasses.replace(fast, index=7) == dataclasses.replace(slow, index=7)
        try:
            fast.index = 1
        except dataclasses.FrozenInstanceError:
            pass
        else:
            raise AssertionError("a rule made by new_rule is not frozen")


def test_kit_lazy_hooks_and_detection_signs():
    """The kit's ``lazy`` hook imports its module at the first call and passes every argument on;
    ``score`` adds the points of the signs found, within 0-100."""
    import sys

    from parsers.kit.vendor import lazy, score, signs

    sys.modules.pop("colorsys", None)
    hook = lazy("colorsys", "rgb_to_hsv")
    assert "colorsys" not in sys.modules
    assert hook(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0) and "colorsys" in sys.modules
    table = signs((r"^a", 60), (r"^b", 70), (r"^c", -90))
    assert score("a\nb\n", table) == 100 and score("a\nc\n", table) == 0 and score("x\nb\n", table) == 70
