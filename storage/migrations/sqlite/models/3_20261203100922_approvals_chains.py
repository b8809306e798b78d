from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return r"""
        CREATE TABLE IF NOT EXISTS "approval_delegations" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "from_id" VARCHAR(64) NOT NULL,
    "to_id" VARCHAR(64) NOT NULL,
    "since" DATE,
    "until" DATE NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* ``\/委托 张三 至 12月5日``: delegations set in chat, next to the ones in config.yaml. */;
CREATE INDEX IF NOT EXISTS "idx_approval_de_from_id_e52aff" ON "approval_delegations" ("from_id");
        ALTER TABLE "approvals" ADD "platform" VARCHAR(20);
        ALTER TABLE "approvals" ADD "version" INT NOT NULL DEFAULT 1;
        ALTER TABLE "approvals" ADD "sla_remind_at" TIMESTAMP;
        ALTER TABLE "approvals" ADD "route_rule" SMALLINT;
        ALTER TABLE "approvals" ADD "submitted_at" TIMESTAMP;
        ALTER TABLE "approvals" ADD "reason_asked_by" VARCHAR(64);
        ALTER TABLE "approval_attachments" ADD "name" VARCHAR(60) NOT NULL DEFAULT '';
        ALTER TABLE "approval_steps" ADD "platform" VARCHAR(20);
        ALTER TABLE "approval_steps" ADD "decided_by" VARCHAR(64);
        ALTER TABLE "approval_steps" ADD "remind_at" TIMESTAMP;
        ALTER TABLE "approval_steps" ADD "due_at" TIMESTAMP;
        ALTER TABLE "approval_steps" ADD "started_at" TIMESTAMP;
        ALTER TABLE "approval_steps" ADD "elapsed_hours" REAL;
        ALTER TABLE "approval_steps" ADD "ref" VARCHAR(120) NOT NULL DEFAULT '';
        CREATE INDEX "idx_approvals_reason__433067" ON "approvals" ("reason_asked_by");
        CREATE INDEX "idx_approval_st_status_d07ee0" ON "approval_steps" ("status", "due_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_approval_st_status_d07ee0";
        DROP INDEX IF EXISTS "idx_approvals_reason__433067";
        ALTER TABLE "approvals" DROP COLUMN "platform";
        ALTER TABLE "approvals" DROP COLUMN "version";
        ALTER TABLE "approvals" DROP COLUMN "sla_remind_at";
        ALTER TABLE "approvals" DROP COLUMN "route_rule";
        ALTER TABLE "approvals" DROP COLUMN "submitted_at";
        ALTER TABLE "approvals" DROP COLUMN "reason_asked_by";
        ALTER TABLE "approval_attachments" DROP COLUMN "name";
        ALTER TABLE "approval_steps" DROP COLUMN "platform";
        ALTER TABLE "approval_steps" DROP COLUMN "decided_by";
        ALTER TABLE "approval_steps" DROP COLUMN "remind_at";
        ALTER TABLE "approval_steps" DROP COLUMN "due_at";
        ALTER TABLE "approval_steps" DROP COLUMN "started_at";
        ALTER TABLE "approval_steps" DROP COLUMN "elapsed_hours";
        ALTER TABLE "approval_steps" DROP COLUMN "ref";
        DROP TABLE IF EXISTS "approval_delegations";"""


MODELS_STATE = (
    "eJztXVtz47YV/iscvXQ7424t2ZKdttMZ3zZx411n1t4206SjwCQssaZIhhd73Tb/vQCvIA"
    "jCgExSJIwnWwQORX0AD879/Hey8SzohO9PfD/wHoEz+ZPx34kLNhD9UxvbMybA98sRfCEC"
    "d04yGWSzkqvgLowCYEZo4B5dguiSBUMzsP3I9lx01Y0dB1/0TDTRdlflpdi1f43hMvJWMF"
    "rDAA389C902XYt+BWG+ONPkzACUZx8UeiApYWmg2iCZv00CSAiDiMYLG0Lj5sBBBG0knF8"
    "G/9heW9Dx6r8znRqcn0ZPfvJtUs3+pBMxE95tzQ9J9645WT/OVp7bjHbdiN8dQVdGODvQ9"
    "eiIMY/G/+qDKIcifQXllPSn0bQWPAexE5EwHS3LK9NlstP17fLm4vb5XIiAazpuXhR0KOG"
    "ya9f4Uf4w2x6eHR4fLA4PEZTkscsrhz9ln51CUxKmMDz6XbyWzIOIpDOSNamBDWCG99BWN"
    "ShPVuDgI0tSUMhjB6dRjjHkwdxfqHEuNyPfYC8AV+XDnRX0Rp9PNznIPr3k89n3518fne4"
    "/3v8hR56fdIX61M2MkuGMOgEyHbkyCGcEygI72xfBF80qxHgZKyKMNh4cfpyVyE+h6a9AQ"
    "4b5ZKIgtlKqd5n1AKQZyxhKIhzAD6/OLv8eHL1brrYmyUIh786dgTpvV2F994LNnVw/3Zz"
    "/YmNbD6fxtU2I+N/hmOHNT7c1jae/OU+dk2Ml3EX205ku+F7/LV/nfQPNcYH33kTIozJLf"
    "zu48mP9O4+u7o+TSDzwmgVJHdJbnBKLUV5qIoyk5KiP24y8aFrYdh6YSnTmQBHmc4aGQoe"
    "qqJsxkEA3WiJZBS/jvUNYgpOo+hB074shLSF+n63QsjB7GhRyB/4A0/0uEFM5iqXP0pgAy"
    "+O4DKIWechH9Yq5VagDoxLtwjrIwxC/O3iAjJB0d8GnQ5aSi7hxOIt+8xrZrMkzVaMdmi7"
    "k5LahIQ2jsxGs1ik8oUIIxA+IMXv7lkGagZpR4j3qupVAF8cCgC+OGwEHA9RkkOphNflZA"
    "RSZG9ggwRRoaSFuoz0ff7P+LY6B+nby48XN7cnH3+oCHLnJ7cXeGSWXH2mrr5bUKtS3MT4"
    "x+Xtdwb+aPzz+tMFLe8V827/OcHPBOLIW7re0xJYJCb55fxSbZUDuEFIbrnQFWK91kNea8"
    "JsJrnQVcoWVnlwNgf0A61r13nOduBIlj17WfhveHy3saPt1p2m1e/3kN9vbIeytlrnKqVe"
    "5SGvsunY2Fwg5d6o0CikC7emwVkQOHKQEhQaUIbhhnLZietqVToFPRrtqGrY73n/wHTSFR"
    "jWgf/gBdBeud/D5wT+S/SYwDVZJrLMTfwDDMLU7DMyzH/Ld1Z+tXznAvBU+ItrGw5BgH44"
    "TF0cnxG3/nx5djthcOAWwD0rbjQuZiGKbeXYqQCLnsD49OXqalLjwi3Aeg5H7IR7EVTi4G"
    "mAFLOGO2A+PIHAWjbwCBBFwFxvIP7yGuKnGfGH7z9DB0Rsuy8VR3JS3FAhZkG50qDfElg3"
    "ma9HFZjwjvNmHrHTKnuwPrSZbegrwAWr5Cfh78bf1LzBOOFM1W34cmDTknoROo1x0rFKfc"
    "YqJX8lRM98fo9u73783QsRZ8yi2RmzqAd42OjmkvCSNApK9bP5XMTlNZ83+7zwWBXnDbRs"
    "IKeXkiT9eWoHzyZKTGPf8YCVeAIlddM6pYL7uH1HonY7NEOvrtuhELCkuBdFpRlYxsA41h"
    "5ABPK/UnEmcwJGBrKo9kxtsIoGfXZyc3ZyfsFToPtQdM7RA61ABkCjokPM2hNSdKyCQEzR"
    "mfzyyx9/juffWIc/x4vZ/NhAH+5n+z/Hh3D/G/TheHp/YExnaPBo/3iO/szh/Jdf/mQQ32"
    "OEMDJs1zDXINozXPg1MiLPQMqR4bkwTEY8995evX8GG+f9hFronTyAVuKGpcTdB95GUkwj"
    "SLqSz1SK80JnuBy+BYGWfkXC6OzsyK0Lvg0xFzb7jK7Iu6M1bzNzTJC4SitpbmQzJJpm1A"
    "qCV6I2tO0pB5tWtbYBckiqVWMISE0D2K2QmngwOOJp7uEQEEwLv0q7tvefaFk/hL9mT4Su"
    "pv7ef9WSkMnRvSIZKslCLhOj8txkLQr2KQpm6yeTBJSRqGRGaCWrCt7LCHzZdOX8IlOhLJ"
    "UpJ01lWs9TeUA/TAbcfH6P6GY8rieQhTDmQFxDeCQprU/Ajsac0uptNswop1v4tSnKtCRR"
    "IaONJzFe/HhbERZrqdqFwHh1/enbfDqdv03HoKZB2HLJbVUqFXDvWiPX2ZrdZ2sijhtsmX"
    "JSodSpCEPTQ6ty5JaJgzppcDRrvF0KsE7/Hcnq6pSxN7DK0AF+iNZq7cUBQ3H64HigQaSv"
    "UVILfY9JlVrc8+svp1cXxg+fL84uby6zikzFaiaDiWGwKIP1+eLkqmZfwcfbVq8VRarfq0"
    "G/V6EJnC0dLjStXukhr7SOZusqHJdyuIgq5BSZDkWQTxPVgYMEl2oncJC1sVuAV/kkXOpt"
    "bsjB3ZHHO7bs6MpbTVje7nxsj+vpxrOWTjat4yLa8d2/oRmlO2jPKD5jZzd2Yku7rU/t1V"
    "vxXH8zmx0cHM32DxbH88Ojo/nxfnG41Yd4p9zp5bf4oKsw5pf92/IypA7WGYPoaEYe4xDg"
    "iDY5gRZqBLw5wMxj4CXwZSdpKwFw67me9Iki7HSn6BQEu/3S/8RxvQXUWhcSZhsWjIDtMI"
    "yhzVXqCRJdqL5y+m5bqH4gMa1n6A7n0LGRAvI8YUj5lXGupG/iZ7HSqTYUzLP6B5LloQEM"
    "TGw8gdAI196T++ckTSmPOzDWwLUcaLgQWtDCSUyxj+U7w07ym9A0E9YTqFq9MzPEloyLwL"
    "CgP+n98H8BNG0/qXBUj7NNkEr5FTVNB9T2FVC7k0CYYR807UfCZG+FhF1TUWjbF5ZKxiEB"
    "cIVIQZins2OhUNBjTizoMY10ydNFYS4pNMZiGCPZyEdfChGIlhTUNUIFAxTnC6HiOrSdhy"
    "yus+ACvpWrvk6vvbhDNsUFEGEYQGsp3/+GRapMp6bWnLk6/7QZanVL/RC6nOiZRZAoKB90"
    "7rrH8NXhlq8/jG5DzhoZ6KLeZWKzDaneTwX9BrMTuTovmJ3sbGovrZpf8DJ7T27hzM8THP"
    "NUaikbTzMHaZN57NbK04mlu9nqM/wE1RGbJMiNLwowSaP70r3oudmpP3Jgypmy7shB49zB"
    "nh5HSrvnQ7crf2MPGakRg180u3sLAu3sreihbXQl1/2HJ9rsos2XkubL1DG/zTJXKfUyD2"
    "6ZJSJhyBgmMtCECtuW6EpDx7eMc+377UqTte5imW2Kpl4cg00ypw9LDalcJg+qY2zeUBOa"
    "ARm2ZvtiIj1Ppq8H1zg2CFnsr1msJ0iGIdjj71NGsA/gSjIav6TQtq8X7QSmHUkVB8vnax"
    "vMy9iinxWj75PCl6TRGAvYubw4YFVD59i5CgqNrwB/0IaANxh/oe0Cqq06w05Qa0c7UFfj"
    "6PkpJ+wmga+Od3f1HAYGt2jADbnNXtOjOiu50VLTZXXwrp75nhsB87VtvM/Su4yQxQuBhJ"
    "umvxIhwa7yo4Tn3nMc7yl+bXvzD8ltvoi0Nh/jmxaB8OGVCN2iWyiETqcWdm+zsUPs9L2C"
    "1ioxb9dt7fScPa7VvZiNZIZiestNZzCnyY4+zJnxrZfPECTflYTS1XNh/UQcyIlKRUyb6n"
    "s11evAyA6bdtTehSrK/DY+NWKVKim20dDnDoQ242Q6h6aNgGWDWtDQan9K9D4jHiGwHPzO"
    "L84uEYTvpou9tBlKWceXDJCknBrMyDEuuDnJW8R2sXcoDC3YeDErf5sLbkn0FuGdHkpsXW"
    "0Qbma/4zQNihiECRlUUEYkKFQ6W1uLsKyI6KICYoVIQSmxc3urX9hJ+zK4Dg1wUYtrZas1"
    "lM+lOUQLuCpmE6NRJbjioEoS58ZapkWksOPyDCGlybht+0ca2liLOKwW/8pki7tnbfR40/"
    "GJgzrOpkIRilNOhOK0HqEY2ZFc4aSCQD3/bCcA+wgkKYALAvUAbj8B9BE4zKLwnudA4Dak"
    "auU0FMB3iKgrJpGz5H5V8tPr66uKSnh6Sfd5/fLx9ALtaUphb07hKo5E4RBPmlC9ba3j5L"
    "RZpJU6RaRoKihHVmi0aSTjXLzSRA67Iqd8caLiRiMDWLgsEbm1hlSYKNHqGbplru03K5ZF"
    "mE2PWW15XSFcd6isioD+W8HinyUCOqnehxVMPLHMOkknptRFrDmpj+IRP/Cs2IyWju0yxy"
    "tLST6Q6XghMa98PmJAK7x9Krw9K2TbpYlNepGrOknJK1484QyPnEBBk0IHFXl0pZiuQ1V2"
    "7ZMemC7WdjSFzgHrVrcdYAquUvjSsqCw3ZGi01gLYy2V4E/S6Az/immmjQz/zHe4lHUc0X"
    "Tqbf9O3Bs19bUulnDtlSx6Ba2WI7FS5phwzZTwqw9NbF1IbATsBWcvdp2St9Tje994oiha"
    "OZpTFSYWyXemQqg7egz5XUErFS0DCJhhYs2HEUWm3lnUiWlHe83exDuly0k0v2TjdI4ylr"
    "2eRq6dox3Eje+kSMfgQO25OY72QOdb6vUe6NpmbgFX5aPxG+ufiASO6/onsvVP8qz+V5dA"
    "qRcTUGSD6mIf0iit7TDyWNUgZTC6wda378o7qbiddFWUPquiFG8dIz6LfCObY7Qqr3/HcV"
    "pVAcM046AahOU3DVUu6ACpPgOksCQTwa8MAfoWXW3wIBM0CoRJ8dT6ix9v+T61Qqu/uv70"
    "bT6ddrRRSUIBcNMHlQG9SqWCDbNv3EFs2V4dck7x+JxAO5b5i7GFYxntc3wSQQZPb16QCt"
    "EwFkWpRl3pAYG+z2XlizevC02nl6b1pSFFpNrK8O30FKmChvrxGubr/hjtdmtc5pH6Y4SS"
    "1cqm5cIhViVJK9LggLoHdZACuhN/18AE7rbdXf0XnlIc0NJEIh7M7Wvf4da+Q4SednC97O"
    "AiLHcv15rq3x87MKbwends2Tdhd0W8RgpqUw0vkVYUXRryLy201rg9G8OQX4zt8Qz5djor"
    "a//6oiV/cmKkVeJ+FxpxCAPDtgykHHsuNHwHRPdesPlz+imZZWzAs7EGj9AI4SPaF877Cb"
    "UurdyQWUMsJ8cT4NcIBm66hnQlMe0Y6NMxQK6KcNITQaOgPDITi7LlBNnSagm53SVwpsgU"
    "hHo6OxbJrpkdN2fX4DFd1nX3QrYu6yoqvDSXdd1xiZhL9877+hGGIUgOnboEQ47zpRg8U0"
    "iAkQpFqAoRFrRiHy4f4DOjGmlZIAGLGDj6AEszyeQ9gxqVkjhO7dVbETq+mc0ODo5m+weL"
    "4/nh0dH8eL+QPupDPDHk9PJbLIlUWIsWTQYhmuB3WALfbLqC0LZf1YXgTxIIV6kUBLqTLD"
    "aSuYsiTdJonMVw1u20OuTFPnh2PMDAtzlcjCBRAuK+g8WaKm/xW5c1Vt/qMD9uv1tZr42G"
    "ZSCK4MZnFXbhw0nSaUBJQB+BnfxGZpgITxOhKZWBtRedhChFAEEIl7Eb2QynDG8BKEKN/3"
    "b4P3nBAys9sVniKClUCJ6uihzHIiLHcbPIcVzvgghNaD82xKHx9jdFqFKeeM9b3PJcef5O"
    "ECkUYdMz8jAIPAZvaZa2CwIVWEsfonbNX7Arw7aJveqPsLnpOD1lj2/eziZ32HK84iUAT0"
    "QUKAxsT7vNd+s2JxdE2Hb69MpQ3sGdlx0bULOdLgFxSaEgwNOFiK+cjm4nXOWLoRXFHhre"
    "HHyLqtgziarYFoyQGi5V6JYg0elVfBlkmzq3OuvmDWbd6IAgHRA0zoCgXfck/ggtG0wY6l"
    "I6sMdTkjbFlJeDmF3DC+wVzis27m0HGu8ePduEhutFaDYSJlboD4giYK43SPH6vfEA/QiH"
    "JVt2+GDcPRu4DjkaMNYgXDNCmlu//ctlUrQ61qc6Fq7BbL6QYe8lRTu8Xe20ynT/pxhJgE"
    "zTKXiMdtMfwP4PA+dmd3Q2XSUjfGvJlj5A6yQj92XzFdyrc6G9Oufs1bmuH/52VaqBGPOv"
    "44gfpl6dwJVRvWRq++Z7Tjg6HZmRh6eTkctZlG0ATdvPs2PrAe0vUuCjV7rUno5vb9fd2C"
    "y0Dic+eEDCaydRqzqTQGcSjNkRVmHrogBXiBSEWce3j41D6Ph2Hd8+6nBsHd+u49vViq/W"
    "8e27xZ9nPePBz7Wdjdrw2/MC5EYSKfQJIh19vS3ym9RAJ32aknT9bfzp8E9THc7+RsLZs4"
    "AYhum7DJVptnn70PMd2LnNW8ro3Kxgtxl/NSAzZ1s++mbrcvJXAuh8vhJqdg8++sBzpPDN"
    "53eF7y5N9m0bisLYh8GjHXqyXVZrhB2dbONnHESfIjuS28kFgQpiQw+cAp2w9iMD4VMPsQ"
    "TgNhg4CiIK5TtE1RVHzrd1v+LZ6fX1VUU8O72k5a8vH08vEO5U4kVdBNZdzps3+jiDUXKM"
    "eF3OIwg2kgcFQaIeF+s8tB+jV0dbOrD/NrvNuLAWjeontph0jfJdtoseGuNqwpsOPkh+3z"
    "KM4Gt7IOdY3URQpA/yKPFKuxK8tre2Yq0bqJh33YFcCjDck+GVUAk2rRglPP03aB8lTNX+"
    "F9vjRHbbUBGnpJjEazGq1zxREar+etmPBp4uvRM3Ebr+nR1GXsDsg1MZ3+N5KkI8c7kmpn"
    "YbpE90FTLXwF0RreuR8pk8DWuM+LxnkDe5D7xNRqbb3feaD0ogXwO32ShQpVLPLtB+YDL5"
    "WgibXrxXYjw0Lts1yFX+IpVhV6FU0Kg5XiNmcom5zHfPsh2CaUL1OFf7Xq9cHZNrbEtRKR"
    "T8NeJuwUNjSm0gyjG+99sgdGjgilrfmzqE7rjFVqJIMpSiXMFsVoYKLba3TGUrhoWOA8IQ"
    "7S4IM0izSVqr6VWr0clphUBwICJlHzRL2Qd1VabfMJihwyuGLw/gejXMmJ3nw9dhSqoW9J"
    "eByV4qqS9NmYacYL2mLMMO36CJ50N30ss7NJ2JhJLNOJ1t62ngG/zbtrEEUKT6VRryq4QQ"
    "AKlHAu2mR8iQ9vkZMix6ZRL02siUCb04MKFsbDFJ1IqJZUD5CJ0EvurSYM3ojzMaU6TaMq"
    "Uqir5eFJmCQnUHdTmTACw5a1uFRhswh2DAVBBQjv0yf9FbsGEqXxmcYopsSya9efszDg9s"
    "47ZmG67z2BYwVS1alka1crAMyuaO0wxYNvcs/YBjc0czure560xpnSk9EBG1m0xpuLJZjU"
    "B4pQtzCvWypdvXAlK0lrLbmCLr0Qbbk/21i73sILVdUrElSHRgjmCqoUhm3AZu7pD8X18K"
    "mcBuYQ1iYKuwk8juExjY5polSmUjXGEKlHMGI03pkIRXhiQ8ovdH8nAnSBSUoGbzuUg1lP"
    "m8uRwKHtOltXt0U6RdiuoIN3fpJEj679K5Gy9qa/04JQ779g+z3/4Pr3K6KA=="
)
