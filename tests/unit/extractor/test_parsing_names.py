import pytest

from sourcer.extractor.parsing import split_name

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("Jane Doe", ("Jane", "Doe")),
        ("  Jane \u00a0 Doe  ", ("Jane", "Doe")),
        ("Hans Peter Schmidt", ("Hans Peter", "Schmidt")),
        ("Dr. Anna-Lena von Müller", ("Anna-Lena", "von Müller")),
        ("Prof. Dr. Hans Peter Schmidt", ("Hans Peter", "Schmidt")),
        ("Prof.Dr. Karl Heinz Müller", ("Karl Heinz", "Müller")),
        ("Dr. med. Phil Meier", ("Phil", "Meier")),
        ("Dr. rer. nat. Eva Lang", ("Eva", "Lang")),
        ("Dipl.-Ing. Katharina von und zu Stein", ("Katharina", "von und zu Stein")),
        ("Jane Doe, MBA", ("Jane", "Doe")),
        ("John Smith, PhD, CFA", ("John", "Smith")),
        ("Max Mustermann, M.Sc.", ("Max", "Mustermann")),
        ("María de la Cruz", ("María", "de la Cruz")),
        ("Jan van der Berg", ("Jan", "van der Berg")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("Giulia di Stefano", ("Giulia", "di Stefano")),
        ("Ana da Silva", ("Ana", "da Silva")),
        ("Pedro del Río", ("Pedro", "del Río")),
        ("Marie le Pen", ("Marie", "le Pen")),
        ("Pieter ten Brink", ("Pieter", "ten Brink")),
        ("Anne ter Horst", ("Anne", "ter Horst")),
        ("Ali bin Ahmad", ("Ali", "bin Ahmad")),
        ("Omar al Rashid", ("Omar", "al Rashid")),
        ("Sam Lee (they/them)", ("Sam", "Lee")),
        ("Lisa Müller (sie/ihr)", ("Lisa", "Müller")),
        ("Tom Berg (er/ihm)", ("Tom", "Berg")),
        ("Chris 🚀 Baker", ("Chris", "Baker")),
        ("👩‍💻 Eva Lang 🇩🇪", ("Eva", "Lang")),
        ("Aiko", ("Aiko", None)),
        ("Dr. Aiko", ("Aiko", None)),
        ("Thomas Müller | Recruiting", ("Thomas", "Müller")),
        ("Doe, Jane", ("Jane", "Doe")),
        ("Phil Collins", ("Phil", "Collins")),
        ("", (None, None)),
        ("🚀", (None, None)),
    ],
)
def test_split_name(shown: str, expected: tuple[str | None, str | None]) -> None:
    assert split_name(shown) == expected
