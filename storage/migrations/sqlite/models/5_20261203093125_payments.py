from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "payments" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "owner_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(12) NOT NULL,
    "contract_year" SMALLINT NOT NULL,
    "amount" VARCHAR(40) NOT NULL,
    "paid_at" TIMESTAMP NOT NULL,
    "external_ref" VARCHAR(100) NOT NULL UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "client_id" INT NOT NULL REFERENCES "clients" ("id") ON DELETE RESTRICT,
    "deal_id" INT REFERENCES "deals" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_payments_owner_i_15c785" ON "payments" ("owner_id");
CREATE INDEX IF NOT EXISTS "idx_payments_client__f0e0e6" ON "payments" ("client_id", "paid_at");
CREATE INDEX IF NOT EXISTS "idx_payments_paid_at_d25a6a" ON "payments" ("paid_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "payments";"""


MODELS_STATE = (
    "eJztXWtv47gV/SuCv3QKpIPYSZy0WxRIMpnddDPJYpLpLrooDEZiHDWypNUjmXR3/ntJPS"
    "mKoklbkiWGn2Yi8cr2IXV577kP/j5ZeRZ0wvenvh94z8CZ/M34feKCFUT/qd3bMybA98s7"
    "+EIE7p1kMMhGJVfBfRgFwIzQjQd0CaJLFgzNwPYj23PRVTd2HHzRM9FA212Wl2LX/i2Gi8"
    "hbwugRBujGr/9Bl23Xgl9hiP/8dRJGIIqTDwodsLDQcBBN0KhfJwFEwmEEg4Vt4ftmAEEE"
    "reQ+foz/tHiwoWNVfmc6NLm+iF795NqlG31MBuJveb8wPSdeueVg/zV69NxitO1G+OoSuj"
    "DAn4euRUGMfzb+VRlEORLpLyyHpD+NkLHgA4idiIDpflFemywW1zd3i9uLu8ViIgGs6bl4"
    "UtBXDZNfv8Rf4S+z6eHx4cnB/PAEDUm+ZnHl+Fv60SUwqWACz/Xd5FtyH0QgHZHMTQlqBF"
    "e+g7CoQ3v+CAI2tqQMhTD66jTCOZ48iPMLJcbleuwD5BX4unCgu4we0Z+H+xxE/3X6+fyH"
    "08/vDvf/jD/QQ69P+mJdZ3dmyS0MOgGyHTlyCOcCCsI72xfBF41qBDi5V0UYrLw4fbmrEH"
    "+Apr0CDhvlUoiC2Uql3mfSApBnKmEoiHMA/nBxfvnp9OrddL43SxAOf3PsCNJruwrvgxes"
    "6uD+8/bmmo1sPp7G1TYj4w/DscOaHm5rGU/+/hC7JsbLuI9tJ7Ld8D3+2H9M+oca44OfvA"
    "oRxuQSfvfp9Bd6dZ9f3ZwlkHlhtAySpyQPOKOmotxURZVJKdGfNpn40LUwbL2olOlMQKNM"
    "Z40KBd+qomzGQQDdaIFsFL+O9S1SCk6j6UHLrjdC2kJ9v1sj5GB2PC/sD/wHz/S4RUrmKr"
    "c/iOVbWoJ1ZY3giOwVbFjGFUlas2Si7/P/KKWz7y4/XdzenX76qaJNPpzeXeA7s+TqK3X1"
    "3Zxa7sVDjJ8v734w8J/Gv2+uL2ilU4y7+/cEfycQR97C9V4WwCIxyS/nl6qvT2nPS85yVb"
    "KFWR6cMYR+oHXjOq/ZChzJtGcvC3fWsdlkbTTrVUn9bg/63XZsvLtJeeMVmY32w4FNaDtu"
    "OfnqAEcOUkJCA1oHlGaYRI1lWk5BB3x+KGAtzw8brWV869s3TNM9PDE5pQLDOvAfvQDaS/"
    "dH+JrAf4m+JnBNFtWRsZo/wSBEP3Z8mH/LV1Z+tXznAvBS0Ju1BYcgQD8cph75Z6StP1+e"
    "300YGrgFcM+LB41LWYhiW9l2KsCib2Bcf7m6mtS0cAuwfoAj5ozWgkpsPA2QYtVwD8ynFx"
    "BYiwYdAaIImI8riD+8hvhZJvzxx8/QAckPaQQ7D3ucFg9USFlQzA/0WwLrNqMmVIEJrzhv"
    "5hErrbIG67dWsxV9Bbhgmfwk/Nn4k5oXGCf6Vl2G6+NwC+pF6DQkp0NrfYbWHmxkcoGVVO"
    "CHlFHQ9JwdHYnEfo6OmmM/+F7V1F9BywZyzhMp0h89O/i1XGIa+44HMCNz/yrpQNUlFVzH"
    "7bhQmjEVg15dxrSwAqS0FyWlFVimwDiUBCCSo7b07sg8q5GBLOriUQus4uadn96en3644H"
    "l5fVjjiQfDscNzD0fAAi/8qnZt719pGEP4W/aN0NWU7/lPLWeOvLtXxO51Ulyvlns2UzJB"
    "/0xEJV3cRrj/Cf0EGesxH99jpkr2xk16MRynIrlv0+bUt2ktNWsk+UAvwI7GnA/krVZMzv"
    "0Ofm2KeZYiG+E8THqYaXVf/HJXMbhreW6F0X11c/19PpxOfqMjojqZQP1kggCuMIqbTDMl"
    "qud5yPOMEADOhgQHLatnesgzrSmNrjhZyjUUNfcoMc3Gyie0aPZo0jZ7xFrYLcCrfLoQ9T"
    "Y3ZAvtiJuLLTu68pYTFi+X39vjcnJ41MLJhnVcnRrf/xeaUbqC0M38b0zL4RpV6VrUM3v5"
    "Vpi3v85mBwfHs/2D+cnR4fHx0cl+sbnVb/F2ubPL7/FGV1HM6/k5eRtS2eCYUqajGXmMTY"
    "Bj2uQC2qgRCDEDM08Ok8CXnU6mBMAiVOy8mYqd16lYakcRJmQpOQXBbr+mntiuN4Ba+0LC"
    "asOCEbAdRoShufybENEV4HxmXLACvOac7sbCP0dP+AAdGzkgrxOGlV+5z7X0TfxdrHSoDc"
    "XC75OfkS0PDWBgYeMFhEb46L243xnIxjdwRxLcdsB4BK7lQMOF0IKWEXlG7GP7zrAjw3bx"
    "MBO+n1AT2+6TmckA+VNyWNA/6fPw/wJo2n5Si1HPCEiQSvUVNUwnBPSVEEBOnuhWQ8oouN"
    "HMxLq4cJq41OxTn9FqgctrKgpt+8ZSqTgkAK4IKQjzdHYilCZwwskTOKGRLnW6KMylhMZY"
    "DGNkG/noQyEC0ZKCuiaoQmIGXWExF6qwoHkessJizgV8o1B9XV5HcYdMxQUQYRhAa4HM85"
    "DJGjXalCxRZVogtRbM1fUezVCrW+9B+HKiexYhoqB90HnoHsNXh1u+UwJ6DDlqZKALN0wo"
    "F9uQij4q6DfQTuTsrKGd7GxoLz2Q10SZvRe3CObnye8bFX00a5A2lcduWZ5OmO5m1mf4xQ"
    "sjpiTIhS8KMCnTkes2/vU8kHjkwJwzZcORg8a5gzU9jnInz4duV/HGrnl4DBhDXzSHewsB"
    "Heyt+KFttPuW5192QrtMu1rrmnbpS3OPhGYRoi/TwPwm01yV1NM8uGmWyIQhc5jIRBMqbV"
    "uifx6d3zLOue+3f17WZJRF2xTtRzmETTKmD6aGdC6TL6pzbHrNsZFtlddum7wBEVvdHJDk"
    "2CBkqb9ms54QGYZhjz9PGcM+gEvJbPxSQnNfa3kC045epcJs2XjNwazHFv2sGH2eFL6kjM"
    "ZYgOfy4sCUY20LCY2v7re5DfTq5l9oXkC1WWfwBLXG+QMNNY5en3LSbhL46nh3189hYHCL"
    "JtyQy2yb0zTIU703p7ckmpOMBO/qnu+5ETC3PXDkPH3KCFW8EEj4eJctERI8/2aU8Dx4ju"
    "O9xNsexPIxecwXkUNYxvim+eC1haN9fkqfoupSikD4tCVCd+gRCi2hTsMQ3mplhzgyfgWt"
    "ZRIDqAck6DF73NBEMRoZVsXwlnuIE6dt4e0LP3rxCkHyWUm+Yb1g2E9splyo9FZ1PKPXeI"
    "bOHu2w63XtXaiivOaAdlpYpXaTbXRtvwehzdiZPkDTRsCyQS1kaG4kFXqfCY8QWA5+Hy7O"
    "LxGE76bzvbSbePibY6cOHJlFSkV+mOl1XHBzkbeI7XzvUBhasPJiVpE7F9xS6C3COz2UWL"
    "qaNW9Wv+PkT0VY8/4PJx/c5Lachlox0UUNxIqQglZi56S0X5DJfbHSQwNclJauLDWBE8n7"
    "PTh7rKg2nZy9677NOaPNZEQKsptHhJS8etv8R+UI9zIts9ohLbMtihNHNenxNpM4B7WdTY"
    "XSOKecNM5pPY0zsiO57lKFgHpB7E4A9hFIUgAXAuoB3H6V7DNwmJ3zPc+BwG2oZ8tlKIDv"
    "kVBXSiJXyf265Gc3N1cVl/Dskj4o7cunswu0pimHvbnOTfr47pqgestaJxNqWqSVZk6kaS"
    "poR1ZkNDWy/uBu02G3LZXv4FQ8aGQAi3qXlaU1pO5NiVfP8C1zb7/ZsSxykXos/cubL+Hm"
    "TGXrCPS/JSz+s0BAJy0OsYOJB5alOenAVLpIyCf9UXzHDzwrNqOFY7vM+5WpJL+Q6Xih9m"
    "t34Nf27HdtpIMmk17Mp07KE4v3S7jaJRdQkDnooDuR7prTdUbKrkPPA3O52k6a0PVw3bqw"
    "AyxHVgpf2uQTphcpOY21MNZSzQ5IGd3toMLAtNHtIAsRLmTjQ7Scesu/kyhGzUutmyVcWp"
    "IlryA5ORIyMseEy0bCrz40MYmQcATsCWdPdl2SN9Xje994piiaOVpTFRSL5DtTEdSnmwz5"
    "XUEzFS0CCJjZYM2bESWm3l7UCbWjg2Nv4p3SrTWaX7JxxkAZ014vqdcx0A7Sw3fSsGRwoP"
    "Z8UJAONOdLavtAc20xt4Cr8kn3jb1gRPLDdS8Y2V4wefH+1u1g6j0DFFmguvHJ4BufjBGj"
    "RzuMPFb3UBmIbjFD+UP5JBVfOd0gps8GMYVmYqSqkVqrOV2toiI7TlmrGmGmGQfVfDSfdU"
    "vnjPWZM4aNuwh+ZfgUd+hqQ1CdkFEgc4zHdFz8cscPMxZEx9XN9ff5cDr2SJVHBcBNv6gM"
    "6FUpFWjdvnEHsWV7dcg5ZwvkAjrWzp+MDWLtaJ3jjQcydHrzhFSEhjEpSp3jlm4Q6PNcVq"
    "V887zQcnpqWp8a0kSqzQw/dEGJKhi7GG+soh6i0pHIxmkeaYhKqEyvPNNeOOusFGnFGhzQ"
    "4VIdFL/uJAQ4MIO77Qhg/y23FAe0ZETE89t9HU7dOJyK0NMxv/UxP4KoW99lq/8Q9cCUwv"
    "YR6vJYjd21LxspqE3dy0ROKumSt7+00Fzj0/sYvH1xb4/H29vpqOx04LXE/eTUSPvj/Sk0"
    "4hAGhm0ZyDn2XGj4DogevGD1XfpXMspYgVfjETxDI4TPaF047yfUvLTyQGb3tFwcD4BfIx"
    "i46RzSPdR0YKDPwAA5K8J1YISMgvbITCzxmJN3TLsl5HKXwJkSUxDq6exEpOBodtJccITv"
    "6Ya2uzeydUNbUeOluaHtjpvjXLr33tdPMAxBsunULRjyPt+KwSOFDBipzIOqEWFBK/bh4g"
    "m+Mvqwlj0jsImB8xCwNZMM3jOou1IWx5m9fCtGx19ns4OD49n+wfzk6PD4+Ohkv7A+6rd4"
    "ZsjZ5ffYEqmoFm2aDMI0we+wBL7ZcAWhbb/RDaGfJBCuSikIdCeFfaRyF0WalNE4i+GsDx"
    "LrUBf74NXxAAPf5nQxQkQJiPtOFmtqRsY/tK2xIVmHJYP73dp6bRzVBqIIrnxWwQEfTlJO"
    "A0oC+gzs5Dcy00R4nggtqQysvfgkRHcGCEK4iN3IZgRleBNACWr8N8P/xQueWBWbzRZHKa"
    "FC8nTV5DgRMTlOmk2Ok/r5j9CE9nNDHhpvfVOCKpXO97zELc+V1++EkEIZNj0jD4PAY+iW"
    "Zmu7EFBBtfRhatfiBbsitk0cVX+Gzcet00P2+PR2NrjDw9YrUQLwQmSBwsD2dNh8t2Fzck"
    "KEudOXLVN5B7dfdkygZitdAuJSQkGAp3ORWDmd3U6EyudD6xM+NLw5+BaNwmcSjcItGCE3"
    "XKr3LyGiy6v4NsgmrX911c0brLrRCUE6IWicCUG7Po35E7RsMGG4S+mNPZ6TtCqGrE9idg"
    "0vsJe4rth4sB1ovHv2bBMarheh0ciYWKJ/QBQB8xH3Ivqz8QT9CKclW3b4ZNy/Grg1O7ph"
    "PILwkZHS3Prj13dF0e5Yn+5Y+AhmR3MZ9V5KtKPb1S6rTNd/ipEEyLScgttoN0cm2P9j4N"
    "wcjs6Gq0TCt1Zs6QM0TzJ2XzZewbV6JLRWjzhr9Ui3VH+7LtVAyPybOOKnqVcHcG1ULxna"
    "Pn3PSUenMzPy9HQycznLsg2gaft5dWw9oX2tBN56pVvt6fz2dsONzUbrcPKDB2S8dpK1qi"
    "sJdCXBmANhFbUuCnBFSEGYdX772DSEzm/X+e2jTsfW+e06v12t/Gqd375b/HnsGQ9+Lnc2"
    "auK35wnISRIp9AkhnX29KfKrlKCT3k1Juf4W/nT4u6lOZ38j6ez5kUwM7ps4ramZ9SYPhu"
    "rzaBgf2OWxMMUfOlOiz0yJoR7nqVK6hCaRiAZvItkRM057N1YuClZYi1cIGLsd33aoCWsD"
    "QpcDbGJSFOUAc4lygHzLqwPMzZMgxBRMkhhJUkSOCTfRvGjYGcAHmQ2AllMuqttJlpzOPG"
    "pGX63Mo90f8TG4CdZnfAwPUE4xjO7q30pX/92eQDE0JSCKa/MRFLuuL8pKu1hEVlH0xeGx"
    "oOc7sHMWS4qgajby2uRPBmTatUWfNFNWyb8SQOfjVaRTurCjA8+Rwjcfrx4V2H7KUxj7MH"
    "i2Q0+Wc60JdhSjGb/iIE7ctiO5lVwIqBAA60FToB3WfmYgfOYhlQDcBoKwEKJQvkdSXWnk"
    "fFn3S1id3dxcVdzos0s6kvjl09kFwp3iDOsOWexbG5IbVUlNbgyF3GAwiNm3JzQYBCvJjY"
    "IQUU+Ldd6kAqPXggt5lz1mXFiL+o/EEpM+ba9SHxJ4z4DVDuksE/3442fogORnNEJ9mj1m"
    "hIqrCW+6jCb5fYswgn5LWN1G6QmoKuKVkhtbAqXaIaRUxHy1ssMQPXpblIoHlU0yVVxSmI"
    "fcEipBonaU8Dx4juO9xNsqp4/JY74oq5iqJ7lujhN5bqyKOCVtUbfFqN69V0WoIhA+bYnU"
    "HXqESvB0GZ24jdD1H+ww8gLmic6V+3u8SEWIRy4eiaHdpt0SkTTzEbhLWObdIucz+Tb0PZ"
    "2G22ca7kPgrcp5EPX1q1LqufvtV86Tq12YUfG2xHhoyrNrkAk1UoN5TSJWRVJBrnK83CQj"
    "8yqbrPtXSYqyJqie5mo/mJV7WXJZWZSUzswaQqrb0JSSUrluQwN322S3HZ8Bn/iHDF8n9x"
    "ubfZzCOe2tlZ4Vw8KtAWGIVheEGaTZIO3V9OrV6MK3wiA4ELGyD5qt7IO6K9NvdsvQ4RXD"
    "lwdw/biWmN2Ihu/DlFIt+C8Ds71Ucl+aWmFxcvCa2mB1+AZNPB+6k17eofZrcwO4wr9tEy"
    "aAEtWv0pBfJYQASAMNaDU9Q4a1zy/DZskr00GqjUrs0IsDE8qmDJNCrVAsAyoz0BWkOslS"
    "QH2JVJBSrqLo60WJKWhUd3BwzE6KdQe284+fwFQQUA5/mb/oLXCYyh9dRylFNpNJL97+yO"
    "GBLdzWuOHd1kGPFNXmMuhdc+64eoDFuWdVBRzOHY3onnPXBdC6AHogJmo3BdBwabNOquWd"
    "rZFLqFcE3b4XkKK1kF3GlFiPHGxP/GsXa9lBbrukY0uI6MQcwQpCkYK3FVzdI/u/PhUy+d"
    "rCHsTAZmEnCdunMLDNR5Ypld3hGlOgHDMYa0qnJGyZkvCM3h/JzZ0QUdCCmh0diTQ5OTpq"
    "7nKC7+mz33oMU6THaNcR/uftzXUDiVqK0MEJ24yMPwzHDseYusgBF4NRiUDUuvzTDf33qq"
    "EF/ICdd/n/9n/xM/pt"
)
