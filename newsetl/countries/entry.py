"""One form the matcher looks for."""

from dataclasses import dataclass

from newsetl.countries.rules import Rule

# Lower is stronger when two equally long forms overlap: 中美 in 其中美国 loses to the name 美国, and
# the affixed 在朝 in 在朝韩 loses to the pair 朝韩.
PRIORITY_BLOCK, PRIORITY_NAME, PRIORITY_COMPOUND, PRIORITY_AFFIXED = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Entry:
    """A form, the countries it names (none for a block) and the rule for when it counts."""

    form: str
    countries: tuple[str, ...]
    rule: Rule
    priority: int
    kind: str
    # Other spellings that fold to the same key and name the same countries (USA and Usa), which
    # case-sensitive rules must accept too.
    also: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.form, *self.also)
