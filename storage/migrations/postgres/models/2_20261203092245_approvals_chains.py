from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "approval_delegations" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "from_id" VARCHAR(64) NOT NULL,
    "to_id" VARCHAR(64) NOT NULL,
    "since" DATE,
    "until" DATE NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_approval_de_from_id_e52aff" ON "approval_delegations" ("from_id");
COMMENT ON TABLE "approval_delegations" IS '``/委托 张三 至 12月5日``: delegations set in chat, next to the ones in config.yaml.';
        ALTER TABLE "approvals" ADD "platform" VARCHAR(20);
        ALTER TABLE "approvals" ADD "reason_asked_by" VARCHAR(64);
        ALTER TABLE "approvals" ADD "version" INT NOT NULL DEFAULT 1;
        ALTER TABLE "approvals" ADD "sla_remind_at" TIMESTAMPTZ;
        ALTER TABLE "approvals" ADD "submitted_at" TIMESTAMPTZ;
        ALTER TABLE "approvals" ADD "route_rule" SMALLINT;
        ALTER TABLE "approval_attachments" ADD "name" VARCHAR(60) NOT NULL DEFAULT '';
        ALTER TABLE "approval_steps" ADD "remind_at" TIMESTAMPTZ;
        ALTER TABLE "approval_steps" ADD "elapsed_hours" DOUBLE PRECISION;
        ALTER TABLE "approval_steps" ADD "platform" VARCHAR(20);
        ALTER TABLE "approval_steps" ADD "decided_by" VARCHAR(64);
        ALTER TABLE "approval_steps" ADD "ref" VARCHAR(120) NOT NULL DEFAULT '';
        ALTER TABLE "approval_steps" ADD "started_at" TIMESTAMPTZ;
        ALTER TABLE "approval_steps" ADD "due_at" TIMESTAMPTZ;
        CREATE INDEX IF NOT EXISTS "idx_approvals_reason__433067" ON "approvals" ("reason_asked_by");
        CREATE INDEX IF NOT EXISTS "idx_approval_st_status_d07ee0" ON "approval_steps" ("status", "due_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_approval_st_status_d07ee0";
        DROP INDEX IF EXISTS "idx_approvals_reason__433067";
        ALTER TABLE "approvals" DROP COLUMN "platform";
        ALTER TABLE "approvals" DROP COLUMN "reason_asked_by";
        ALTER TABLE "approvals" DROP COLUMN "version";
        ALTER TABLE "approvals" DROP COLUMN "sla_remind_at";
        ALTER TABLE "approvals" DROP COLUMN "submitted_at";
        ALTER TABLE "approvals" DROP COLUMN "route_rule";
        ALTER TABLE "approval_steps" DROP COLUMN "remind_at";
        ALTER TABLE "approval_steps" DROP COLUMN "elapsed_hours";
        ALTER TABLE "approval_steps" DROP COLUMN "platform";
        ALTER TABLE "approval_steps" DROP COLUMN "decided_by";
        ALTER TABLE "approval_steps" DROP COLUMN "ref";
        ALTER TABLE "approval_steps" DROP COLUMN "started_at";
        ALTER TABLE "approval_steps" DROP COLUMN "due_at";
        ALTER TABLE "approval_attachments" DROP COLUMN "name";
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
    "tLST6Q6Xih1mt3oNf2rHdtlw026UV86iTzrni/hBM5cgIFLQcdFN7RBWG6jkjZtet5YCpX"
    "20ETOtWrWxV2gJm2SuFLi3zC5kWKTmMtjLVUHj9JoxP5KxaYNhL5MxfhUtY/RNOpt/078W"
    "LUtNS6WMI1S7LoFTROjsQYmWPCtUbCrz40sREhsRGwF5y92HVK3lKP733jiaJo5WhOVZhY"
    "JN+ZCqFu3DHkdwWtVLQMIGBGgzUfRhSZemdRJ6Yd7Rx7E++UrhrR/JKN0wfKWPZ6trj2gX"
    "YQHr6TWhyDA7XnHjja0Zxvqdc7mmubuQVclQ+6byxzIhIfrsucyJY5yZP3X13ppF4zQJEN"
    "qmt6SKO0tsPIYxV9lMHoBlvfvivvpOJ20sVP+ix+Urx1jDAs8o1sDsWqvP4dh2NVBQzTjI"
    "NqrJXPGtLxUH3GQ2HBJYJfGfLyLbra4DAmaBSIiuJp8Rc/3vJdaIUSf3X96dt8Ou1Xo1J/"
    "AuCmDyoDepVKBZNl37iD2LK9OuSckvA5gfYj8xdjCz8y2uf44IEMnt68IBWiYSyKUu230g"
    "MCfZ/LygJvXheaTi9N60tDiki1leGb5SlSBe3y47XD190v2svWuMwjdb8IpaCVrciFI6pK"
    "klakwQH1BOogsXMn7q2BCdxte7f6LyelOKClRUQ8dtvXrsKtXYUIPe3PetmfRRjqXq4g1b"
    "/7dWBM4fXe17Ibwu5Kc40U1KbKXCINJrq0219aaK1x0zWG3b4Y2+PZ7e10VtbU9UXD/eTE"
    "SGu//S404hAGhm0ZSDn2XGj4DojuvWDz5/RTMsvYgGdjDR6hEcJHtC+c9xNqXVq5IbMyWE"
    "6OJ8CvEQzcdA3p+mDaMdCnY4BcFeEcJ4JGQXlkJhZUy4mppdUScrtL4EyRKQj1dHYskkwz"
    "O25OpsFjuljr7oVsXaxVVHhpLta648Ivl+6d9/UjDEOQHDp1CYYc50sxeKaQACMVeVAVIi"
    "xoxT5cPsBnRo3Rsh4CFjFwHAKWZpLJewY1KiVxnNqrtyJ0fDObHRwczfYPFsfzw6Oj+fF+"
    "IX3Uh3hiyOnlt1gSqbAWLZoMQjTB77AEvtl0BaFtv4gLwZ8kEK5SKQh0J0lrJHMXRZqk0T"
    "iL4aybZHXIi33w7HiAgW9zuBhBogTEfQeLNRXa4jckayy21WE63H63sl4bbchAFMGNz6rj"
    "woeTpNOAkoA+Ajv5jcwwEZ4mQlMqA2svOglReQCCEC5jN7IZThneAlCEGv/t8H/yggdWNm"
    "KzxFFSqBA8XRU5jkVEjuNmkeO43tsQmtB+bIhD4+1vilCltPCet7jlufL8nSBSKMKmZ+Rh"
    "EHgM3tIsbRcEKrCWPkTtmr9gV4ZtE3vVH2FzK3F6yh7fvJ1N7rCReMVLAJ6IKFAY2J52m+"
    "/WbU4uiLDt9OmVobyDOy87NqBmO10C4pJCQYCnCxFfOR3dTrjKF0OrgT00vDn4FkWwZxJF"
    "sC0YITVcqq4tQaLTq/gyyDZlbXXWzRvMutEBQTogaJwBQbvuNPwRWjaYMNSldGCPpyRtii"
    "kvBzG7hhfYK5xXbNzbDjTePXq2CQ3Xi9BsJEys0B8QRcBcb5Di9XvjAfoRDku27PDBuHs2"
    "cNlxNGCsQbhmhDS3fvuXq6JodaxPdSxcg9l8IcPeS4p2eLvaaZXp/k8xkgCZplPwGO2mHY"
    "D9HwbOze7obLpKRvjWki19gNZJRu7L5iu4V+dCe3XO2atzXS787apUAzHmX8cRP0y9OoEr"
    "o3rJ1PbN95xwdDoyIw9PJyOXsyjbAJq2n2fH1gPaX6TAR690qT0d396uu7FZaB1OfPCAhN"
    "dOolZ1JoHOJBizI6zC1kUBrhApCLOObx8bh9Dx7Tq+fdTh2Dq+Xce3qxVfrePbd4s/z3rG"
    "g59rOxu14bfnBciNJFLoE0Q6+npb5DepgU76NCXp+tv40+Gfpjqc/Y2Es2cBMQzTdxkq02"
    "zz9qHnO7Bzm7eU0blZwW4z/mpAZs62fPTN1uXkrwTQ+Xwl1OwefPSB50jhm8/vCt9dmuzb"
    "NhSFsQ+DRzv0ZJuq1gg7OtnGzziIPkV2JLeTCwIVxIYeOAU6Ye1HBsKnHmIJwG0wcBREFM"
    "p3iKorjpxv637Fs9Pr66uKeHZ6SctfXz6eXiDcqcSLugism5o3b/RxBqPkGPGamkcQbCQP"
    "CoJEPS7WeWg/Rq+OtnRg/212m3FhLRrVT2wx6Rrlu+wOPTTG1YQ3HXyQ/L5lGMHXtjzOsb"
    "qJoEjb41HilXYleG0rbcVaN1Ax77rhuBRguCfDK6ESbFoxSnj678c+Spiq/S+2x4nstqEi"
    "TkkxiddiVK95oiJU/bWuHw08XXonbiJ0/Ts7jLyA2QenMr7H81SEeOZyTUztNkif6Cpkro"
    "G7IprYI+UzeRp6TKd59pnmeR94m3IdRHX9KpV66n778cbkbhe2qHivxHhozLNrkAk2UoP5"
    "hcS5CqWCtsrx2iaTS8xlvnuWbfxLE6rHudp3ZuVally/WopKoZiuETcBHhpTagNRjk2937"
    "6fQwNX1Kje1Phzx52zEv2QoevkemOzjlMop70lIFsxLNQaEIZod0GYQZpN0lpNr1qNzjkr"
    "BIIDESn7oFnKPqirMv1GtwwdXjF8eQDXi1zG7PQdvg5TUrWgvwxM9lJJfWlKIOTE4DUlD3"
    "b4Bk08H7qTXt6h6UwkQmzGaVhbz+7e4N+2jSWAItWv0pBfJYQASB0NaDc9Qoa0z098YdEr"
    "k3fXRgJM6MWBCWVDhkmiVkwsA0oz6CSeVVf8akZ/nEGWIkWUKVVR9PWiyBQUqjsot5nEVc"
    "lZ2yo02oA5BAOmgoBy7Jf5i96CDVP5gt8UU2RbMunN259xeGAbtzXbcJ3HtoCpakGwNKqV"
    "g2VQNnecPcCyuWdZBRybO5rRvc1dJ0DrBOiBiKjdJEDDlc3q78GrSJhTqJcE3b4WkKK1lN"
    "3GFFmPNtie7K9d7GUHqe2Sii1BogNzBDMIRRLeNnBzh+T/+lLIxGsLaxADW4WdBGyfwMA2"
    "1yxRKhvhClOgnDMYaUqHJLwyJOERvT+ShztBoqAENZvPRYqczOfNVU7wmK6Y3aObIm0+VE"
    "e4ufkmQdJ/883deFFba7Mpcdi3f5j99n+wzJ7c"
)
