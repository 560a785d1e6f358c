"""Small published games built with the tree builder, shared by the extensive-form tests."""

from __future__ import annotations

from simulator.games.extensive import Chance, Decision, ExtensiveGame, Terminal


def beer_quiche():
    """Cho and Kreps (1987): prior weak 0.1; the sender gets 1 for the preferred breakfast
    plus 2 if not challenged; the receiver gets 1 for duelling the weak or sparing the strong."""

    def sender(kind):
        weak = kind == "weak"

        def receiver(message):
            preferred = 1 if (message == "quiche") == weak else 0
            return Decision(
                "Receiver",
                {
                    "duel": Terminal([preferred, 1 if weak else 0]),
                    "spare": Terminal([preferred + 2, 0 if weak else 1]),
                },
                message,
            )

        return Decision("Sender", {"beer": receiver("beer"), "quiche": receiver("quiche")}, kind)

    return ExtensiveGame.from_tree(
        ["Sender", "Receiver"],
        Chance({"weak": ("1/10", sender("weak")), "strong": ("9/10", sender("strong"))}),
    )
