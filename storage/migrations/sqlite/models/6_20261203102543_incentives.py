from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "incentive_entries" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "person_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(12) NOT NULL,
    "period" VARCHAR(16) NOT NULL,
    "ref" VARCHAR(80) NOT NULL,
    "amount" VARCHAR(40) NOT NULL,
    "points" INT NOT NULL,
    "details" JSON NOT NULL,
    "settlement_key" VARCHAR(120) UNIQUE,
    "corrects_id" INT,
    "created_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_incentive_e_correct_70541b" ON "incentive_entries" ("corrects_id");
CREATE INDEX IF NOT EXISTS "idx_incentive_e_person__7a3b98" ON "incentive_entries" ("person_id", "period");
        ALTER TABLE "tasks" ADD "completed_at" TIMESTAMP;
        DROP TABLE IF EXISTS "incentive_ledger";
        DROP TABLE IF EXISTS "commission_ledger";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "tasks" DROP COLUMN "completed_at";
        DROP TABLE IF EXISTS "incentive_entries";"""


MODELS_STATE = (
    "eJztXWtzqzia/iuUv+yZquzZ2Imd9MzWVjmX053pXLpOcna6pnvKrYDisMFAg0hOZqb/+0"
    "pchRBEcgCDjj4lRnoxfiRevbdH+tdk41nQCT8ufT/wnoEz+bPxr4kLNhD/U2nbMybA94sW"
    "cgGBeyfuDNJe8VVwH6IAmAg3POBLEF+yYGgGto9sz8VX3chxyEXPxB1td11cilz79wiukL"
    "eG6BEGuOGXf+DLtmvBrzAkH3+ZhAigKP6i0AErC3cHaIJ7/TIJIBYOEQxWtkXazQACBK24"
    "ndzGf1o92NCxSr8z6RpfX6FXP7524aJPcUfylPcr03OijVt09l/Ro+fmvW0Xkatr6MKAfB"
    "++hoKI/Gzyq1KIMiSSX1h0SX4aJWPBBxA5iILpflVcm6xW1zd3q9vzu9VqIgGs6blkUPCj"
    "hvGvX5NH+M/Z9PDo8PhgcXiMu8SPmV85+iP56gKYRDCG5/pu8kfcDhBIesRjU4CK4MZ3MB"
    "ZVaE8fQcDHlpZhEMaPziKc4dkEcXahwLiYj32AvAFfVw501+gRfzzcb0D0f5efT39Yfv5w"
    "uP8n8oUefn2SF+s6bZnFTQR0CmQbOXIIZwIKwjvbF8EX96oFOG4rIww2XpS83GWIz6Bpb4"
    "DDR7kQYmC2EqmPqbQA5KlKGAriDQCfnZ9eXC0vP0wXe7MY4fB3x0aQndtleB+8YFMF96+3"
    "N9d8ZLP+LK62iYx/G44dVvRwW9N48t8PkWsSvIz7yHaQ7YYfydf+z6R/qAk+5M6bEGNMT+"
    "EPV8uf2dl9enlzEkPmhWgdxHeJb3DCDEWxqIoqk0KiP20y8aFrEdh6USnTmYBGmc5qFQpp"
    "KqNsRkEAXbTCNopfxfoWKwWn1vRgZd82QtpCfb9bI+RgdrTI7Q/yocn0uMVK5jKzPwpgAy"
    "9CcBVEvPWwGday5FagDkxLtwjrMwxC8u3iBjIl0d8EnQ7aSi7gJOYtf82rV7O0zFaKdmiz"
    "k7HahIy2BpuNVbHY5QsxRiB8wo7f/asM1BzRjhDv1dUrAb44FAB8cVgLOGliLIfCCa/ayR"
    "gkZG9gjQVRkmSNulT0Y/bP+KZ6A9J3F1fnt3fLq59KhtzZ8u6ctMziq6/M1Q8LZlTymxh/"
    "u7j7wSAfjb/fXJ+z9l7e7+7vE/JMIELeyvVeVsCiMckuZ5cqoxzADUZyy4EuCeuxHvJYU2"
    "EzyYEuS7YwyoOLOeAfaN24zms6A0cy7OnL0vyGR/cbG2037qysfr+H/H6TOJS11TiXJfUo"
    "D3mUTccm4QKp9EZJRiFfuDUPzoLAkYOUktCAcgI3TMpO3FcryymY0WjHVSN5z4cnbpIux7"
    "AK/CcvgPba/RG+xvBf4McErskLkaVp4p9gECZhn5Fh/kc2s7KrxTsXgJc8X1yZcBgC/MNh"
    "kuL4jLX154vTuwlHA7cA7ml+o3EpC1FsS8tOCVj8BMb1l8vLSUULtwDrGRxxEu5NUKmFpw"
    "ZSohrugfn0AgJrVaMjAELAfNxA8uUVxE9S4U8/foYOQPy4L1NHssxvqJCyYFJp0G8JrNs0"
    "16MKTGTGeTOPmmmlOVht2sw27BXggnX8k8h3k2+qn2AN5Uzlafh2YdOKeRE6rXHStUp91i"
    "rFfyVMz6x/j2nvfvLdC5FkzKI+GbOoFnjY+OaS8NIyClr1s/lcJOU1n9fnvEhbGecNtGwg"
    "55fSIv1lagevJgpMI9/xgBVnAiV906qkgvO4/USiTjvUQ69u2iE3sKS0FyOlFViqwBqiPY"
    "Aq5H+n40xzAkYGsqj3zEywkgd9urw9XZ6dNznQfTg6Z/iB1iAFoNbRoXrtCTk6Vi4g5uhM"
    "fvvtv36N5t9Zh79Gi9n82MAfHmb7v0aHcP87/OF4+nBgTGe48Wj/eI7/zOH8t9/+bFDfY4"
    "QQGbZrmI8A7Rku/IoM5BnYOTI8F4Zxi+c+2OuPr2DjfJwwA72TB9BO3LCcuIfA20iaaZRI"
    "V/aZSnVeeA2XwzcX0NavSBmdnS65VcO3pubC5q/RJXt3tOFtLscEm6usk+Yim2PR1KOWC7"
    "wTtaFNTznYtKu1DZBDcq1qS0AqHsBujdQ4g9FgnmYZDgHDNM+rtBt7/4W19UP4e/pE+GqS"
    "7/1HhYRMt+7lZKiYhVwQozJusjYF+zQF0/GTIQGlIiqFEVphVcEHGYMv7a5cXmQqxFKZNt"
    "BUplWeyhP+YTLgZv17RDfVcT2BLIRxA8QVhEdCaX0BNhozpdXbbLhVTnfwa12VaSGiAqOt"
    "yWI8//muZCxWqNq5wXh5c/191p3lb7M1qEkRthy5rSylAu5de+Sardk9WxNr3GBLyklJUl"
    "MRhuaHlu3ILYmDmjQ4mjHejgKs6b8jGV1NGfsGRhk6wA/xWD16UcBxnD45Hqgx6SuSzEA/"
    "EFGlBvfs5svJ5bnx0+fz04vbi3RHpnw048Y4MJhvg/X5fHlZia+Q5W2r14oR1e/VoN+r0A"
    "TOlgkXVlaP9JBHWlezdVWOyyRcRB1yRkyXIsjTRHXhIKWl2ikc5E3sFuBVnoTLvM01HNwd"
    "Zbwjy0aX3nrCy3ZnbXuNmW7Sa+Wk3TreRDu6/z9oomQG7Rn5Z5LsJkls6bT1ib3+VjLX38"
    "1mBwdHs/2DxfH88OhofryfL27VpqZV7uTie7LQlRTz2/lteRtSF+uMwXQ0kcdZBBpMm0xA"
    "GzUC2RxgZjXwEvjySdpKANw615NdUYST7oycgmC3v/U/tVxvAbX2hYTVhgURsB1OMLR+l3"
    "pKRG9UX1p9t92ofiA1raf4DmfQsbED8jrhWPml9kZL3yTPYiVdbSjIs/obtuWhAQwibLyA"
    "0AgfvRf3LzFNKas7MB6BaznQcCG0oEVITJFP7DvDjvlNuJsJqwSqVu/MLbGl6yIILPhPcj"
    "/yXwBN2493OKrW2cZIJfqK6aYLavsqqN1JIcywF5r2K2HSt0IirqkotO0bS4XikAC4JKQg"
    "zNPZsVAp6HFDLegxi3Sh00VhLiQ0xmIYY9vIx18KMYiWFNQVQQULFOcLoc112DgPvbnOoh"
    "HwrVL1VXmdxR1yKC6AGMMAWiv58294osqc1NRaMlfzT+uhVnerH8qXE12zKBEF7YPOU/cE"
    "virc8vsP49vQvUYGumh2mZpsQ9rvp4R+TdiJHp03wk522rWXo5rfyDJ7L26ezM8IjhmVWi"
    "rGU69B2lQeu43ydBLpro/6DJ+gOuKQBD3xRQGmZfS5dG9mbnaajxyYc6ZsOnLQOHcwp8dB"
    "afd86HaVb+yBkYo4+qI+3ZsL6GRvyQ9t41Ryff7wRIdddPhSMnyZJOa3GeaypB7mwQ2zRC"
    "UMXcNEF5owZdsSp9Kw9S3jHPt+T6VJj+7ihW3yQ70aAjZxnz4iNbRzGT+orrH5hg6hGVBg"
    "a7YvZtI32fTV4hrHBiFP/dWb9ZTIMAx78n3KGPYBXEtW4xcSOvb1ZpzAtJHU5mBZfx2DeR"
    "tb/LMi/H1S+NIyGmOBOJcXBbzd0BviXLmExldAP+hAwDdYf6HjAqqNOidOUDmOdqCpxtHr"
    "04aymxi+Kt7d7ecwMLhFC27oafaeM6rTLTdaOnRZHbzLa77nImC+9xjv0+QuI1TxQiCRQ9"
    "PfiZDgqfKjhOfBcxzvJXrv8eaf4tt8ETnafIxvmg9e83PCtwfpp+Quqk4lBMKndyJ0h2+h"
    "0BTqNA2Rqm1eHqLQ6A2JCGrxaPv4nSTJUck9lGnAqduZn6hM+aE6U/ENZSoG5UhMhXIV04"
    "ZcxbSaq0A2kqNQ5gLqeWqdAOxjkKQAzgXUA7j9UlDsQHG3h/M8BwK3pmgrk2EAvsdCXSmJ"
    "TCX3m0w7ubm5LMWNTi7YE1++XJ2c4zkdQ17sHl1fzJUvicLJHlZQvWmtI+Y6dtoKY5E2TQ"
    "XtyJKM3so51VxNJEWHvzeHPE0xv9HIABYmKNJTa0gUxTjmxfEts1hYvWOZB9x6rG/jH9aK"
    "/1vD/J8VBjrm8RMHk3Qs6k+Sjol0nnWm/VHS4geeFZlo5dgut700lPQDmY4XUv2K56MatM"
    "Pbp8Pbs0O2XcHYpBe7qpPivPzFk+A0rVUNKXTAzdOcsa5PmgUbL+JZMGfQtDfAqSkwzYVY"
    "nyCR+phKj88Xa4D37Pz04mp5+WG62JsxHi49uXU1WJ++7QCLcZXCl7UFheOOjJzGWhhrqV"
    "J/WkbX+pdCM23U+qe5w5Vs4oiVU2/6d5LeqLivVbOkMV7Jk1cwajmSKCWnwrMapoRffWiS"
    "6EIcI+APOH+wq5JNQz2+963JFMUjx2qqPMQi+c6UBPXenkN+V/BIoVUAQShn8TJi6q1FnY"
    "R2dNbsm3inNLGk/iUbZ3JUhFiik6OTDvbo2QldZ3Cg9rxNrs5AZ1Pq/RnoymRuAVflD7at"
    "ZUKJnGqrmVCaxTJ+FssYMXq0Q+TxtoKQgeiWBNx+KO6kiIrTbJ9GdLosx8o1E6cki9Za9W"
    "VZJRXZcWlW2aYwzSgo1135dU2lC7omqs+aKGK8IPiVYzPf4as1SWNKRoHKqCZP/vznu+Y0"
    "Wu7IX95cf591Z3NrDC8oAG7yoDKgl6VUCFv2jTuILNurQt6wc1wmoHPJzYOxRS4Zz3OyEk"
    "GOTq8fkJLQMAZFqV26kwUCf5+buIyi48LK6aFpfWhoE6kyMs2heUZUwdj8eGPxHKaSzrQp"
    "loIZ6Il6rDU4oK2DO2B97iTFNTCDu+0MF6F8yUFKSWhAq4AWIRLx+m1fpwu3Thdi9HRO6+"
    "2cFhW542e0qpq2BViFU7ADUwrvz8AWmyay2rYFWAV3tRspqNQCI70PZZeB/AsLjzXZm50T"
    "yM/b9poC+XbSyxY87nWyNPxYL/1HaEQhDAzbMrBz7LnQ8B2AHrxg85fkU9zL2IBX4xE8Qy"
    "OEz3heOB8nzLi0ckPutmGZOOkAvyIYuMkYspuH6cRAn4kBelSEeU6UjIL2SPtnFNLTXQJn"
    "RkxBqKezYxFCzey4nlBD2hhKWayZJLEuCSmIdOdGtp+bx9rObjZeSlNtSLvCXLj33tcrGI"
    "YgXnSqFgzd3mzFkJ5CBoxUKULZiLCgFflw9QRfORuQFnsiZGfXE2sm7rxnMK1SFseJvf5W"
    "jI7vZrODg6PZ/sHieH54dDQ/3s+tj2pTkxlycvE9sURKqkWbJoMwTcg7LIFv2l1BaNvfyI"
    "XSTxIIl6UUBLoT4hqt3EWRpmU0zmI4P+GfJoNx1l9JfNvWxT54dTzAwbe+XIwSUQLivovF"
    "6jbbut0Ax6m182o33OqQErffra13MDta5NYd+dBkz91eLS8vq3ktgBDc+DwGQjOctJwGlA"
    "b0Gdjxb+SWiTR5IqykMrD24pNQuw9AEMJV5CKbk5RpGgBGUOO/Hf4vXvDEYyTWWxyFhArF"
    "02WT41jE5DiuNzmOKyZHAE1oP9fUoTXNb0ZQJWp4z1Pc8lx5/U4JKVRh0zPyMAg8jm6pt7"
    "ZzARVUSx+mdiVfsJvA9iW01jA4d8mJ3py4Nt281xzWNkl2/jnebi0QzdFLhbgrgexyYgoG"
    "ticbsf5WwtXd5ch1QrFqi7RfvKtjS1ReXCgt3pAV5yTFieaQm8CphIoAL0QAZpkCFMCLqi"
    "X9IINu2l0BXm3XLsquN2sflBfeAG6+VfuhxFbtvmdztwyptRkKAWVCGi0SJRCweXv51FMq"
    "KRHNpmx2ObZgU4YQIQeS/Wxkc4NVSdXIV1Oh/NW0IYE1rWawTC8IoIlCSQZWWaqjgMb4PB"
    "Le2ZEyk7gs1aOpEb6GCG76MTj00ZEDiRkNiIqbYVLh4g4kHnUFLRtMOJGopGGvKQa1ybu8"
    "zQ1xDS+w12S7BuPBdqDx4dmzTWi4HsK9sfm7xn8AQsB8JCvdn4wn6CPC9rDs8Mm4fzXIiQ"
    "64wXgE4SOHKdL67d+Oh+nAV5+Br/ARzOYLKbspl2hnuRmQwdTBQpPM/wQjmXWdkVMxPtPJ"
    "SSv2Pzk411f5pN1Vym22ZpH6AI+TxJzN+is4V+dCc3XeMFfn+iQGGfTV2h9mIDbpTYSa2T"
    "/lDo02qhd37SE5WhRisgVvGeuHJoSk5IUAmrafbTpQ5Qm9KUGWXukdTDVtiLT1QRsaDu1i"
    "QMZrJ2QATdDSBK0xE7RKal08cUsJKQizpg2NTUNo2pCmDY2a5aJpQ5o2pBZtRdOGdot/U/"
    "SsCf7G2NmoA789D0AWJJFCnxLSpJZtkd8kATrp1ZSW62/iT4e/mmqW0DfCEsqOvuPEvqlT"
    "8eqj3vQBfH0eweUDuzhjK/+gKyX6rJQY6inAKpVL6CBSh/wgUlNCFNbqFQLOatdsO1SEtQ"
    "ExdgLLbkyKnMOykOGwpEteFeDGOglKTMEiiZEURdRW6nK3T5bk2LFyymV1O6mS05VH9eir"
    "VXm0+5OTBjfA+uik4QFaCQ/ow1LoJb6Fw1J2e7DP0JSAKK71J/sURybtKJKVbKHPC2Tlm+"
    "s3xLGg5zuw8yiWVICq3shrM34yINOurfBJfcgq/isBdNZfxXBKF3Z04DlS+Gb91QsFtl/y"
    "FEY+DJ7t0JONuVYEO8rRjF9xFGAjG8nN5FxAhQRYD5oCr7D2MwfhEw+rBODWBAhzIQbley"
    "zVlUbOpnW/AauTm5vLkht9csFmEr9cnZxj3JmYYdUhi3xry+BGWVIHN4YS3OBEENOnpzQY"
    "BBvJhYISUU+LdX4YGEGvBRfyLr3NuLAW9R+pKSZ9iGmJHxJ4z4C37dRJKvrpx8/QAfHPqI"
    "V6md5mhIqrDm+WRhP/vlWIoN8SVrcoOVhaRbyS4MY7gVLtbOdKbPed+AjGHUc5gR48x/Fe"
    "ove+a5/i23xR9j0rn/e8PU706dIq4oRA+PROiO7wLVSCp8sI8i3C13+wQ+Txt0wvte81RZ"
    "ND0nP1SHXttjSSynaYj8Bdw6I2EjsI8dPw2qjPe+W8XeBtUjFdU9lrTSWFfAXcesetLKWe"
    "79Y+DZp+LYTdY++dGA9Ny3YNclm/SFXVlCQVDDyNN9DEKaNJB+v+VTLeVBFUT3O1n5nIfA"
    "y5EhtGSpfZDKFuaWhKSanCpaGB+97KpdPl7eny7HxX5TWxI8lxijIHs94Zyr3Y3vZFsyKY"
    "+zggDPHsgjCFNO2kvZpevRrNYsoNggMRK/ug3so+qLoy/ZYqDB1eMXybAK4gnOqTCsTNPk"
    "wh1YL/MjDbSyX3pW5fo4aCqro9jTp8gyaeD91JL+9QF0TLjU/smK1CAYysfpmG/DIFcENQ"
    "3GagGVE9zkMeZ4wASHJPWG88Q45f18ye5skrs/FTGwTq0IsCE8pW+tJCyh3epYmfujbybf"
    "UlQvxkggKirxcjpqD71MF5Lzvh2A5s5R9/qFpBQBsi1dmL3kK0uiAfjkwxiMarGaXIj1mz"
    "k7e/NMDAJm5rWYDd0pdHimo9e3nX2RVS9M/LrqRkgIbsCu7RfXZF85Y1b3kgJmo3vGW4Ts"
    "tohZnLuYR63OX2vYAErZXsNGbEeoy29xRp72IuO9htl3RsKRFdgiVI/BPhqW3g5h7b/9Wh"
    "kCnhF/YgBjYKO6nhX8LANh95plTa0mhMgaLPYKwpXXzyzuKTZ/z+SC7ulIiCFtRsPhfZm2"
    "Q+r9+chLTpI9t6TFMkp19XEf7r7c11Xd48F2GTE7aJjH8bjh2OsUi1AVwCRikDUdmcn92H"
    "f6+cWiA32Pnm/H/8PyPyFJ8="
)
