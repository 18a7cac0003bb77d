"""Write a folder of realistic articles (~4 KB each) in the corpus format.

python benchmarks/generate.py OUT_DIR [--count 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SOURCES = ["Yeni Şafak", "Anadolu Ajansı", "Hürriyet", "Sabah", "BBC Türkçe", "Reuters", "AP"]
AGENCIES = ["AA", "DHA", "İHA", "Reuters", "AFP", "Haber Merkezi"]
PEOPLE = [
    "İbrahim Kalın",
    "Hakan Fidan",
    "Recep Tayyip Erdoğan",
    "Antonio Guterres",
    "Fatma Meriç Yılmaz",
    "Halil Hayye",
    "Tom Fletcher",
    "Mark Rutte",
]
PLACES = [
    "İstanbul",
    "Ankara",
    "Gazze",
    "Kahire",
    "Doha",
    "Cenevre",
    "Beyrut",
    "Hartum",
    "Refah Sınır Kapısı",
    "Iğdır",
    "Isparta",
]
ORGS = ["Türk Kızılay", "AFAD", "UNRWA", "Birleşmiş Milletler", "Dünya Gıda Programı", "MİT"]
TOPICS = ["ateşkes", "insani yardım", "arabuluculuk", "esir takası", "müzakere", "yeniden inşa"]
DAYS = ["Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"]
SENTENCES = [
    "{p}, {l}'da {o} yetkilileriyle {t} sürecini görüştü.",
    "{o} tarafından yapılan açıklamada, {t} çalışmalarının {l} bölgesinde sürdüğü belirtildi.",
    "Görüşmede {t} konusunda atılacak adımlar ele alındı ve {p} taraflara çağrıda bulundu.",
    "{l}’da bekleyen tırların geçişi için {o} ile koordinasyon sağlandı.",
    "Yetkililer, {t} planının sonraki aşamalarının uygulanması için istişarelerde bulundu.",
    "{p}, {o} heyetinin {l} ziyaretinde yaptığı konuşmada barış vurgusu yaptı.",
]


def article(rng: random.Random, n: int) -> str:
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    topic = rng.choice(TOPICS)

    def sentence() -> str:
        return rng.choice(SENTENCES).format(
            p=rng.choice(PEOPLE), l=rng.choice(PLACES), o=rng.choice(ORGS), t=rng.choice(TOPICS)
        )

    paragraphs = []
    while sum(len(p) for p in paragraphs) < 3500:
        paragraphs.append(" ".join(sentence() for _ in range(rng.randint(2, 5))))
        if rng.random() < 0.2:
            paragraphs.append(f"{rng.choice(PLACES)} için yeni {topic} adımı")
    lines = [
        f"date 2025-{month:02d}-{day:02d} {rng.choice(SOURCES)}",
        f"{rng.choice(PLACES)}'da {topic} görüşmesi #{n}",
        "",
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}{day}/{month}/2025, {rng.choice(DAYS)}",
        rng.choice(AGENCIES),
        sentence(),
        "",
        "\n\n".join(paragraphs),
        "",
        f"#{topic}",
        f"#{rng.choice(PLACES)}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for n in range(args.count):
        folder = args.out / f"{n // 1000:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n:05d}.txt").write_text(article(rng, n), encoding="utf-8")


if __name__ == "__main__":
    main()
