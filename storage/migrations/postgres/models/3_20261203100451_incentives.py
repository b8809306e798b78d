from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "incentive_entries" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "person_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(12) NOT NULL,
    "period" VARCHAR(16) NOT NULL,
    "ref" VARCHAR(80) NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "points" INT NOT NULL,
    "details" JSONB NOT NULL,
    "settlement_key" VARCHAR(120) UNIQUE,
    "corrects_id" INT,
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_incentive_e_correct_70541b" ON "incentive_entries" ("corrects_id");
CREATE INDEX IF NOT EXISTS "idx_incentive_e_person__7a3b98" ON "incentive_entries" ("person_id", "period");
        ALTER TABLE "tasks" ADD "completed_at" TIMESTAMPTZ;
        DROP TABLE IF EXISTS "commission_ledger";
        DROP TABLE IF EXISTS "incentive_ledger";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "tasks" DROP COLUMN "completed_at";
        DROP TABLE IF EXISTS "incentive_entries";"""


MODELS_STATE = (
    "eJztXW1v4zYS/iuCv9wWyC1iJ3HS6+EA52XbtHkpNtlr0eJgMBLj6KK3SnSyuXb/+5F6pS"
    "hKIR1Jlrj8lFjkyNZDajjzzAz558T1LehE7xdBEPpPwJn8w/hz4gEX4n8qbTvGBARB0UIu"
    "IHDnxJ1B2iu+Cu4iFAIT4YZ7fAniSxaMzNAOkO17+Kq3dhxy0TdxR9tbFZfWnv3HGi6Rv4"
    "LoAYa44ff/4Mu2Z8HPMCIff59ECKB1/EWRA5YW7g7QBPf6fRJCLBwhGC5ti7SbIQQIWnE7"
    "uU3wuLy3oWOVnjPpGl9fopcgvnbuoQ9xR/Ir75am76xdr+gcvKAH38t72x4iV1fQgyH5Pn"
    "wNhWvy2OSpUogyJJInLLokj0bJWPAerB1EwXS3LK5Nlsur69vlzdntcjmRANb0PTIo+KdG"
    "8dOvyE/4+2y6f7h/tDffP8Jd4p+ZXzn8knx1AUwiGMNzdTv5ErcDBJIe8dgUoCLoBg7Gog"
    "rtyQMI+djSMgzC+KezCGd4NkGcXSgwLuZjHyC74PPSgd4KPeCP+7sNiP578fHkh8XHd/u7"
    "35Av9PHrk7xYV2nLLG4ioFMg28iRQzgTUBDe2a4IvrhXLcBxWxlh4Prr5OUuQ3wKTdsFDh"
    "/lQoiB2Uqk3qfSApCnKmEoiDcAfHp2cn65uHg3ne/MYoSjPxwbQXZul+G990O3Cu6PN9dX"
    "fGSz/iyutomMvwzHjip6uK1pPPnn/dozCV7G3dp2kO1F78nX/mvSP9QEH3JnN8IY01P43e"
    "XiV3Z2n1xcH8eQ+RFahfFd4hscM0NRLKqiyqSQ6E+bTALoWQS2XlTKdCagUaazWoVCmsoo"
    "m+swhB5aYhslqGJ9g5WCU2t6sLKvGyFtob7brRGyNzuc5/YH+dBketxgJXOR2R/U9C0swa"
    "qyxnAg24U107gkyWqWVPR99o9SOvv2/PLs5nZx+XNJm5wubs9Iyyy++sJcfTdnpnt+E+OX"
    "89sfDPLR+O366oxVOnm/298m5DeBNfKXnv+8BBaNSXY5u1R+fQp7XnKUy5ItjPLgjCH8gN"
    "a157ykM3Akw56+LI2jTswma6NRL0vqd3vQ77Zjk9VNyhsvyWy0Hg5sQNtxy+lXBzhykFIS"
    "GtAqoCzDJGoss3IKOuDzfQFreb5fay2Tpi9fCE13/8jllHIMq8B/8ENor7yf4EsM/zn+mc"
    "AzeVRHymr+DMMIP+z4MP+SzazsavHOheA5pzcrEw5DgB8cJh75R6ytP56f3E44GrgFcE/y"
    "G41LWYhiW1p2SsDiX2Bcfbq4mFS0cAuwnsIRc0avgkotPDWQEtVwB8zHZxBayxodARAC5o"
    "MLyZdXED9OhT/89BE6IH6QWrCzsMciv6FCyoJhfmDQElg3KTWhCkxkxvkzn5pppTlYbXJn"
    "LnsFeGAVPxL5bvJN9ROsIfpWnoavx+GWzIvQaUhOh9b6DK3d29jkAq5U4IeWUdD0nB0ciM"
    "R+Dg7qYz+krWzqu9CygZzzRIv0R88Ofi4XmK4DxweEkbl7kXSgqpIKzuN2XCjNmIpBry5j"
    "mlsBUtqLkdIKLFVgDZQEoJKj3ujd0XlWIwNZ1MVjJljJzTtZ3JwsTs+avLw+rPHYg2mwwz"
    "MPR8ACz/2qdm3v31kYI/hH+ovw1YTv+U8lZ45u3clj9zoprlfLPR0pmaB/KqKSLm4j3P+I"
    "H0HGesz695ipkr5xk14Mx6lI7tu0PvVtWknNGkk+0DOw0ZjzgXzX5XLut/BzXcyzENkI52"
    "HSw1yr++zX25LBXclzy43ui+ur77PubPIbGxHVyQTqJxOE0CUobjLMjKge5yGPM0YAOBsS"
    "HKysHukhj7SmNLriZBnXUNTcY8Q0Gyuf0KLZo0nb7BFvYrcAr/LpQszbXJMttCVubm3Z6M"
    "JfTXi8XNa208jJkV5LJ+3WcXXq+u6/0ETJDMKN2WdCy5EaVela1GN79bUwb9/OZnt7h7Pd"
    "vfnRwf7h4cHRbr64VZuaVrnj8+/JQldSzK/zc/I2pLLBMaVMRxP5nEWgwbTJBLRRIxBiBm"
    "aWHCaBLz+dTAmARajYeT0VO69SscyKIkzIMnIKgt1+TT21XG8AtfaFhNWGBRGwHU6Eob78"
    "mxLRFeDNzLhgBXjFOd2OhX+C73AKHRs7IC8TjpVfam+09E3yW6ykqw3Fwu+TX7AtDw1gEG"
    "HjGURG9OA/e98Z2MY3yI4kZNsB4wF4lgMND0ILWgbyjXVA7DvDRobtkW4mfD9hBrbdO3OT"
    "AbK7ZLDgP8n9yH8hNO0grsWoZgTESCX6iummEwL6SgigB090qaFlFFxoZmK7uDRs4lKxTw"
    "POVguNvKai0LZvLBWKQwLgkpCCME9nR0JpAkcNeQJHLNKFTheFuZDQGIthjG2jAH8pxCBa"
    "UlBXBFVIzGArLOZCFRYsz0NXWMwbAd8oVF+V11HcIVNxIcQYhtBaYvM84rJGtTYlT1SZLZ"
    "BaC+bqeo96qNWt96B8OdE1ixJR0D7oPHRP4KvCLb9TAr4N3WtkoAtvmFBMtiEVfZTQr6Gd"
    "6NF5hXay06697IH8SpTZf/byYH6W/L5R0Ue9BmlTeWyX5emE6a5nfYZfvDBiSoKe+KIA0z"
    "IduW7jn88DiUcOzDlTNhw5aJw7mNPjKHfyA+h1FW/smocngHH0RX24NxfQwd6SH9rGdt/y"
    "/MtWaJdpV3Nd0y59ae6R0CxC9GUSmN9kmMuSepgHN8wSmTB0DhOdaMKkbUvsn8fmt4xz7P"
    "vdPy/dZJRH2+TbjzYQNnGfPpga2rmMf6jOsek1x0Z2q7x2t8kbELHVzQFJjg0invqrN+sp"
    "kWEY9uT7lDHsQ7iSzMYvJDT39SpPYNroRSrMlvbXHMzr2OLHWuPvk8KXltEYC/Bc/jo05V"
    "jbXELjq/fbfAv06uZfaF5AtVHn8ASVjfMHGmocvT5tSLuJ4avi3d1+DgODWzThhp5mbzlN"
    "gz7Ve3N6S2JzkpHgXV7zfQ8B860HjpwkdxmhihcCiRzv8kaEBM+/GSU8977j+M/rtx7E8i"
    "G+zSeRQ1jG+KYF4KWFo31+Tu6i6lRCIHp8I0K3+BYKTaFOwxCp2ubFIQqN3hCIoBaPtjcK"
    "L51TVsQeymXAqduZH6tB+aE6UvEVRSoG5UhMhWIV04ZYxbQaq0A2kiuhzAXU89Q6ATjAIE"
    "kBnAuoB3D7qaDYgeJuD+f7DgReTdJWJsMAfIeFulISmUruN5h2fH19UeKNjs/Z3cA/XR6f"
    "4TkdQ4472YlHXJ/MJX1GVUVQvWmtGXPNnbZSsbiV094HN8Ddnk7V/4HOQwNYuECx9kTnLZ"
    "coxpwXx7fMuLB6xzIn3HrMb8sqDEkFYlEfgf9bwfyfJQY6ruMnDibpWOSfJB0T6TzqTPuj"
    "pCUIfWttoqVje9z20lDSP8h0/IjqV/w+qkE7vH06vD07ZJsljE16sas6Sc7LXzyJmqaVqp"
    "RCB7V5umas61PIgOuveRbMKTRtFzg1Caa5EOsTJFLvU+nx+WIN8J6enZxfLi7eTec7M8bD"
    "pSe3zgbr07cdYDKuUviytqAw78jIaayFsZZK9adldK5/iZppI9c/jR0uZQNHrJx607+T8E"
    "bFfa2aJY18JU9eQdZyJCwlJ8OzSlPCzwE0CbsQcwT8AecPdlWyaajH9741maJ45FhNlVMs"
    "ku9MSVDv7TnkdwWPFFqGEERyFi8jpt5a1Am1o6NmX8U7pQtL6l+ycQZHRQpLdHB00sEePV"
    "sp1xkcqD1vk6sj0NmUensEujKZW8BV+YNtayuhRE611ZVQuopl/FUsY8TowY6Qz9sKQgai"
    "G0K4/VDcSREVp6t9GtHpMh0r10yclCxaa9WnZZVUZMepWWWbwjTXYTnvKqhrKl3QOVF95k"
    "QR4wXBzxyb+RZfrQkaUzIKZEY1efJnv942h9FyR/7i+ur7rDsbW2PqgkLgJT9UBvSylAq0"
    "Zd+4g7Vl+1XIG3aOywR0LLl5MDaIJeN5TlYiyNHp9QNSEhrGoCi1S3eyQODv8xKXUXRcWD"
    "k9NK0PDW0iVUammZpnRBXk5sfLxXMqlXSkTbEQzEBP1GOtwQFtHdxB1edWQlwDM7jbjnCR"
    "ki85SCkJDWgV0IIiEc/fDnS4cONwIUZPx7Rej2lRzB0/olXVtC3AKhyCHZhSeHsEttg0kd"
    "W2LcAquKvdSEGlFhjpfSi7JPLPLTzWZG92DpGft+00Efl20ssWPO51sjCCWC/9LTLWEQwN"
    "2zKwc+x70AgcgO790P0u+RT3MlzwYjyAJ2hE8AnPC+f9hBmXVm7I3TYsEycd4GcEQy8ZQ3"
    "bzMB0Y6DMwQI+KcJ0TJaOgPdL+GYX0dJfAmRFTEOrp7EikoGZ2VF9QQ9qYkrJYM0liXRJS"
    "EOnOjewgN4+1nd1svJSm2pB2hTn37vzPlzCKQLzoVC0Yur3ZiiE9hQwYqVSEshFhQWsdwO"
    "UjfOFsQFrsiZCdXU+smbjzjsG0Slkcx/bqazE6vp3N9vYOZ7t786OD/cPDg6Pd3PqoNjWZ"
    "Icfn3xNLpKRatGkyCNOEvMMS+KbdFYS2/Y1cKP0kgXBZSkGgOylco5W7KNK0jMZZDOdH/G"
    "gyGGf9lcS3bV0cgBfHBxx869PFKBElIO47Waxus60bFzhOrZ1Xu+FWhyVxu93aenuzw3lu"
    "3ZEPTfbczeXi4qIa1wIIQTfgVSA0w0nLaUBpQJ+AHT8jN02kyRNhJZWBtRefhNp9AIIILt"
    "cesjlBmaYBYAQ1/pvh/+yHj7yKxHqLo5BQIXm6bHIciZgcR/Umx1HF5AihCe2nmjy0pvnN"
    "CKpUGt7zFLd8T16/U0IKZdj0jDwMQ5+jW+qt7VxABdXSh6ldiRdsh9i+gNYKhmceOdGbw2"
    "vTzTvNtLZJovNP8XZroWiMXorirhDZ5cAUDG1flrH+Wujq7mLkOqBYtUXaT97V3BIVFxcK"
    "izdExTlBcaI55CZwKqEiwHMRgNlKAQrgedWSvpdBN+2uQF1t1y7KtjdrH5QX3gBuvlX7vs"
    "RW7YFvc7cMqbUZCgFlKI0WCyUQsHl7+dSXVFIiupqy2eXYoJoyggg5kOxnIxsbrEqqVnw1"
    "FYpfTRsCWNNqBMv0wxCaKJKswCpLdURojM8j4Z0dKTOJy1I9mhrRS4Sg24/BoY+OHAhnNK"
    "BS3AyTSi3uQPioS2jZYMJhopKGnSYOys27vF4b4hl+aK/Idg3Gve1A492Tb5vQ8HyEe2Pz"
    "d4X/AISA+UBWum+MRxggUu1h2dGjcfdikBMdcIPxAKIHTqVI67d/nQ/TxFefxFf0AGYHcy"
    "m7KZdoZ7kZkMHUwUKTzP8EI5l1nZFTkZ/p5KQV+38cnOuzfNLuKsU2W7NIA4DHSWLOZv0V"
    "nKsHQnP1oGGuHuiTGGTQV2t/mIHYpNdr1Fz9U+7QaKP6cdcegqNFIiab8JZV/dAFIWnxQg"
    "hNO8g2HajWCb0qQZZe6R1MddkQaeujbGg4ZRcDMl47KQbQBVq6QGvMBVoltS4euKWEFIRZ"
    "lw2NTUPosiFdNjTqKhddNqTLhtQqW9FlQ9vFv4k9a4K/kTsbNfHb8wBkJIkU+pSQLmrZFH"
    "k3IeikV1Narr+JPx3+aqqrhL6SKqHs6DsO902dilfPetMH8PV5BFcA7OKMrfyDzpToM1Ni"
    "qKcAq5QuoUmkDuuDSE4JUVjLFwg4q12z7VAR1gbE2AtYtmNS5DUsc5kalnTJqwLcmCdBiS"
    "mYJDGSpIjaTF3u9smSNXasnHJR3U6y5HTmUT36amUebf/kpMENsD46aXiAVugBfVgKvcS3"
    "cFjKdg/2GZoSEMW1/mSf4sikLTFZyRb6PCIr31y/gceCfuDAzlksKYKq3shrkz8ZkGnXFn"
    "1ST1nFfyWAzvqrSKd0YUeHviOFb9ZfPSqw/ZSnaB3A8MmOfFnOtSLYUYxm/IqjABvZSG4m"
    "5wIqBMB60BR4hbWfOAgf+1glAK+GIMyFGJTvsFRXGjmb1v0SVsfX1xclN/r4nI0kfro8Ps"
    "O4M5xh1SFbB9aG5EZZUpMbQyE3OAxi+uspDQaBK7lQUCLqabHODwMj6LXgQt6mtxkX1qL+"
    "IzXFpA8xLdWHhP4T4G07dZyKfvjpI3RA/Bi1UC/S24xQcdXhzZbRxM+3jBAMWsLqBiUHS6"
    "uIV0JuvBEo1c52rnC7b8RHkHcc5QS69x3Hf16/9V37EN/mk7LvWfm8581xok+XVhEnBKLH"
    "N0J0i2+hEjxdMsg3CF//wY6Qz98yvdS+08QmR6Tn8oHq2m1qJBXtMB+At4JFbiR2EOJfw2"
    "ujPu+U43ah76ZiOqey15xKCvkKuPWOW1lKPd+t/TJo+rUQdo/9N2I8NC3bNchl/SKVVVOS"
    "VJB4Gi/RxEmjSQfr7kWSb6oIqqe52o9MZD6GXIoNI6XTbIaQtzQ0paRU4tLQwH1r5tLJ4u"
    "ZkcXq2rfSa2JHkOEWZg1nvDOVebG/7ollrmPs4IIrw7IIwhTTtpL2aXr0aXcWUGwR7Ilb2"
    "Xr2VvVd1ZfpNVRg6vGL4NgFcQTjVJxWIm32YQqoF/2VgtpdK7kvdvkYNCVV1exp1+AZN/A"
    "B6k17eoS4KLd2A2DEbUQGMrH6ZhvwyhdAlKG4y0IyoHuchjzNGACSxJ6w3niDHr2uunubJ"
    "K7PxUxsF1JG/Dk0om+lLCyl3eJcu/NS5ka+rL5HCT4YUEH29GDEF3acOznvZSo3twFb+8V"
    "PVCgLawFRnL3oLbHVRfDgyxSDKVzNKkc9Zs5O3vzDAwCZua1GA7ZYvjxTV+urlbUdXSNI/"
    "L7qSFgM0RFdwj+6jK7puWdctD8RE7aZuGa7SNFrhyuVcQr3a5fa9gAStpew0ZsR6ZNt7Yt"
    "q7mMsOdtslHVtKRKdgCRb+idSpudC9w/Z/dShkUviFPYiBjcJWcvgXMLTNB54plbY0GlOg"
    "6DMYa0onn7wx+eQJvz+SizsloqAFNTs4ENmb5OCgfnMS0qaPbOsxTJGcfl1F+Meb66u6uH"
    "kuwgYnbBMZfxmOHY0xSbUBXAJGKQJR2Zyf3Yd/pxxaIDfY+ub8X/4PNs6p1Q=="
)
