"""Words and names the generated collection is written in: Russian and English, with a few rare words.

Texts are drawn from pools of pre-built sentences so that a million rows cost a few random choices each,
while word frequencies stay skewed like real prose (a few very common words, a long tail of rare ones).
"""

import random

RU_WORDS = (
    "протокол заседания политбюро цк вкп б о положении в монгольской народной республике доклад наркома "
    "обороны товарища ворошилова телеграмма полпреда в улан-баторе записка беседы с премьер-министром мнр "
    "гендэном и маршалом чойбалсаном о военной помощи проект соглашения о взаимной помощи между союзом сср "
    "и мнр от 12 марта 1936 года донесение командования 57-го особого корпуса о боях на реке халхин-гол "
    "японские войска маньчжоу-го квантунская армия граница пограничный инцидент красная армия монгольская "
    "народно-революционная армия снабжение вооружение самолёты танки бронемашины артиллерия кавалерия "
    "переговоры в кремле ноябрь 1934 года постановление совнаркома о поставках хлеба горючего и боеприпасов "
    "инструкторы советники штаб округа приказ директива шифровка сводка разведывательного управления "
    "рабочей крестьянской красной армии совершенно секретно копия подлинник подпись резолюция исполнить "
    "доложить ознакомить архив фонд опись дело лист оборот перевод с монгольского машинопись рукопись "
    "экономическое сотрудничество торговля скот шерсть кредит железная дорога строительство аэродром "
    "жуков смушкевич штерн фекленко баин-цаган номонган хамар-даба тамсаг-булак баян-тумэн хайлар чита"
).split()

EN_WORDS = (
    "minutes of the politburo meeting on the situation in the mongolian people's republic report of the "
    "people's commissar of defence voroshilov telegram from the plenipotentiary in ulan bator record of "
    "conversation with prime minister genden and marshal choibalsan on military assistance draft agreement "
    "on mutual assistance between the ussr and the mpr of 12 march 1936 dispatch from the command of the "
    "57th special corps on the battles at the khalkhin gol river japanese troops manchukuo kwantung army "
    "border frontier incident red army mongolian people's revolutionary army supply armament aircraft tanks "
    "armoured cars artillery cavalry negotiations in the kremlin november 1934 resolution of the council "
    "of people's commissars on deliveries of grain fuel and ammunition instructors advisers district staff "
    "order directive cipher summary intelligence directorate workers' and peasants' top secret copy "
    "original signature resolution execute report acquaint archive fond opis delo folio verso translation "
    "from mongolian typescript manuscript economic cooperation trade livestock wool credit railway "
    "construction airfield zhukov smushkevich shtern feklenko bain-tsagan nomonhan khamar-daba tamsag-bulak"
).split()

# Words that appear in a tiny share of the collection: the "rare word" search of the budgets.
RARE_RU = "цулукидзе"
RARE_EN = "tsulukidze"
RARE_EVERY = 9_973  # one source in ~10,000 carries the rare words (a prime, so it hits every repository)

REPOSITORIES = [
    (
        "RGASPI",
        "РГАСПИ",
        "Russian State Archive of Socio-Political History",
        "Российский государственный архив социально-политической истории",
        "Moscow",
        "Москва",
    ),
    (
        "GARF",
        "ГА РФ",
        "State Archive of the Russian Federation",
        "Государственный архив Российской Федерации",
        "Moscow",
        "Москва",
    ),
    ("RGVA", "РГВА", "Russian State Military Archive", "Российский государственный военный архив", "Moscow", "Москва"),
    (
        "AVPRF",
        "АВП РФ",
        "Archive of Foreign Policy of the Russian Federation",
        "Архив внешней политики Российской Федерации",
        "Moscow",
        "Москва",
    ),
    (
        "RGAE",
        "РГАЭ",
        "Russian State Archive of the Economy",
        "Российский государственный архив экономики",
        "Moscow",
        "Москва",
    ),
    (
        "TsAMO",
        "ЦАМО РФ",
        "Central Archive of the Ministry of Defence",
        "Центральный архив Министерства обороны",
        "Podolsk",
        "Подольск",
    ),
    ("MNA", "ҮАТ", "National Archives of Mongolia", "Үндэсний Архивын Газар", "Ulaanbaatar", "Улан-Батор"),
    (
        "RGANI",
        "РГАНИ",
        "Russian State Archive of Contemporary History",
        "Российский государственный архив новейшей истории",
        "Moscow",
        "Москва",
    ),
    (
        "RGAKFD",
        "РГАКФД",
        "Russian State Documentary Film and Photo Archive",
        "Российский государственный архив кинофотодокументов",
        "Krasnogorsk",
        "Красногорск",
    ),
    ("GAZK", "ГАЗК", "State Archive of Zabaykalsky Krai", "Государственный архив Забайкальского края", "Chita", "Чита"),
]

LANGUAGES = [
    ("ru", "Russian", "русский"),
    ("mn", "Mongolian", "монгол"),
    ("en", "English", "English"),
    ("ja", "Japanese", "日本語"),
    ("de", "German", "Deutsch"),
    ("fr", "French", "français"),
    ("zh", "Chinese", "中文"),
    ("kk", "Kazakh", "қазақ"),
]

SURNAMES_RU = (
    "Иванов Петров Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Волков Алексеев Лебедев "
    "Семёнов Егоров Павлов Степанов Николаев Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов"
).split()
SURNAMES_EN = (
    "Ivanov Petrov Smirnov Kuznetsov Popov Sokolov Lebedev Kozlov Novikov Morozov Volkov Alekseev Lebedev "
    "Semenov Egorov Pavlov Stepanov Nikolaev Orlov Andreev Makarov Nikitin Zakharov Zaitsev Solovyov Borisov"
).split()
MONGOL_NAMES = "Дамба Цэдэн Самдан Балдан Лхагва Жамсран Дорж Гомбо Сүрэн Бат Ганбат Очир".split()
MONGOL_NAMES_EN = "Damba Tseden Samdan Baldan Lkhagva Jamsran Dorj Gombo Suren Bat Ganbat Ochir".split()


def sentence_pool(words: list[str], size: int, rng: random.Random, min_len: int = 6, max_len: int = 16) -> list[str]:
    """Sentences with a Zipf-like word choice: early words of the list are the common ones."""
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(words))]
    pool = []
    for _ in range(size):
        chosen = rng.choices(words, weights=weights, k=rng.randint(min_len, max_len))
        text = " ".join(chosen)
        pool.append(text[0].upper() + text[1:] + ".")
    return pool
