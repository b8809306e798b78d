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
        ALTER TABLE "approvals" ADD "submitted_at" TIMESTAMPTZ;
        ALTER TABLE "approvals" ADD "route_rule" SMALLINT;
        ALTER TABLE "approvals" ADD "sla_remind_at" TIMESTAMPTZ;
        ALTER TABLE "approvals" ADD "version" INT NOT NULL DEFAULT 1;
        ALTER TABLE "approvals" ADD "platform" VARCHAR(20);
        ALTER TABLE "approval_attachments" ADD "name" VARCHAR(60) NOT NULL DEFAULT '';
        ALTER TABLE "approval_steps" ADD "due_at" TIMESTAMPTZ;
        ALTER TABLE "approval_steps" ADD "elapsed_hours" DOUBLE PRECISION;
        ALTER TABLE "approval_steps" ADD "remind_at" TIMESTAMPTZ;
        ALTER TABLE "approval_steps" ADD "decided_by" VARCHAR(64);
        ALTER TABLE "approval_steps" ADD "ref" VARCHAR(120) NOT NULL DEFAULT '';
        ALTER TABLE "approval_steps" ADD "started_at" TIMESTAMPTZ;
        ALTER TABLE "approval_steps" ADD "platform" VARCHAR(20);
        CREATE INDEX IF NOT EXISTS "idx_approval_st_status_d07ee0" ON "approval_steps" ("status", "due_at");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_approval_st_status_d07ee0";
        ALTER TABLE "approvals" DROP COLUMN "submitted_at";
        ALTER TABLE "approvals" DROP COLUMN "route_rule";
        ALTER TABLE "approvals" DROP COLUMN "sla_remind_at";
        ALTER TABLE "approvals" DROP COLUMN "version";
        ALTER TABLE "approvals" DROP COLUMN "platform";
        ALTER TABLE "approval_steps" DROP COLUMN "due_at";
        ALTER TABLE "approval_steps" DROP COLUMN "elapsed_hours";
        ALTER TABLE "approval_steps" DROP COLUMN "remind_at";
        ALTER TABLE "approval_steps" DROP COLUMN "decided_by";
        ALTER TABLE "approval_steps" DROP COLUMN "ref";
        ALTER TABLE "approval_steps" DROP COLUMN "started_at";
        ALTER TABLE "approval_steps" DROP COLUMN "platform";
        ALTER TABLE "approval_attachments" DROP COLUMN "name";
        DROP TABLE IF EXISTS "approval_delegations";"""


MODELS_STATE = (
    "eJztXVtz2ziW/issvWymypu1ZEt2z2xtlW/p9owTd8XOTtd0T6khEpa4oUg2L3a8s/nvC/"
    "AKgiAMyCRFwniyReBQ1Afw4NzPvyZbz4JO+P7M9wPvETiTPxv/mrhgC9E/tbEDYwJ8vxzB"
    "FyKwcpLJIJuVXAWrMAqAGaGBB3QJoksWDM3A9iPbc9FVN3YcfNEz0UTbXZeXYtf+I4bLyF"
    "vDaAMDNPDrP9Fl27XgNxjij79OwghEcfJFoQOWFpoOogma9eskgIg4jGCwtC08bgYQRNBK"
    "xvFt/K/LBxs6VuV3plOT68vo2U+uXbvRh2QifsrV0vSceOuWk/3naOO5xWzbjfDVNXRhgL"
    "8PXYuCGP9s/KsyiHIk0l9YTkl/GkFjwQcQOxEB02pZXpssl59u75d3V/fL5UQCWNNz8aKg"
    "Rw2TX7/Gj/Dvs+nxyfHp0eL4FE1JHrO4cvI9/eoSmJQwgefT/eR7Mg4ikM5I1qYENYJb30"
    "FY1KG92ICAjS1JQyGMHp1GOMeTB3F+ocS43I99gLwF35YOdNfRBn08PuQg+t9nny9+Ovv8"
    "7vjwT/gLPfT6pC/Wp2xklgxh0AmQ7ciRQzgnUBDe2aEIvmhWI8DJWBVhsPXi9OWuQnwJTX"
    "sLHDbKJREFs5VSvc+oBSDPWMJQEOcAfHl1cf3x7ObddHEwSxAO/3DsCNJ7uwrvgxds6+D+"
    "9e72ExvZfD6Nq21Gxv8Zjh3W+HBb23jynw+xa2K8jFVsO5Hthu/x1/7XpH+oMT74ztsQYU"
    "xu4Xcfz36hd/fFze15ApkXRusguUtyg3NqKcpDVZSZlBT9cZOJD10Lw9YLS5nOBDjKdNbI"
    "UPBQFWUzDgLoRksko/h1rO8QU3AaRQ+a9mUhpC3UD7sVQo5mJ4tC/sAfeKLHHWIyN7n8UQ"
    "IbeHEEl0HMOg/5sFYpdwJ1YFy6RVgfYRDibxcXkAmK/jbodNBScgknFm/ZZ14zmyVpdmK0"
    "Q9udlNQmJLRxZDaaxRI6YV1sQyhF9hY2HGgVSlrGyEjf5/+MD3kO0vfXH6/u7s8+/lyRKy"
    "7P7q/wyCy5+kxdfbegVqW4ifH36/ufDPzR+Mftpyta/Cjm3f9jgp8JxJG3dL2nJbBITPLL"
    "+aXaKgdwi5DccaErxHqth7zWhBVHcqGrlC2s8uBUYPQDrVvXec524EiWPXtZ+G94vNra0W"
    "7rTtPq93vI7zc2i1g7rXOVUq/ykFfZdGysvUpZ2ys0CqlmrSkUFgSOHKQEhQaUYUegPEii"
    "WhpNp6CBfXEsoKotjhtVNTz0/Tt2wz18ZfqMCgzrwH/wAmiv3b/B5wT+a/SYwDVZFpvMa/"
    "kzDMLUCjEyzL/nOyu/Wr5zAXgq3Je1DYcgQD8cphb3z4hbf76+uJ8wOHAL4F4UNxoXsxDF"
    "tnLsVIBFT2B8+nJzM6lx4RZgvYQj9gm9CCpx8DRAilnDCphfn0BgLRt4BIgiYG62EH95Df"
    "HzjPjD3z5DB0RsMyQV1nBW3FAhZkF5dqDfElh3metBFZjwjvNmHrHTKnuwPrSdbekrwAXr"
    "5Cfh78bf1LzBONE11W34cpzNknoROg250aEzfYbOJH8lRM98fo9e2H7crwsR38Ci2TewqM"
    "cb2OjmkvCSNApK9bP5XMQDM583u2DwWBXnLbRsIKeXkiT9OQ4HzyZKTGPf8QA2dq2eJXXT"
    "OqWC+7gd7VS7HcSgV9ftUAhYUtyLotIMLGNgHGsPIOLKX6k4kyHqIwNZVHumNlhFg744u7"
    "s4u7ziKdB9KDqX6IHWIAOgUdEhZh0IKTpWQSCm6Ex+//0/fovnP1jHv8WL2fzUQB8eZoe/"
    "xcfw8Af04XT6cGRMZ2jw5PB0jv7M4fz33/9sEN9jhDAybNcwNyA6MFz4LTIiz0DKkeG5ME"
    "xGPPfBXr9/Blvn/YRa6L08gFbihqXEPQTeVlJMI0i6ks96Rbhj8Qyd4XL4FgRa+hWAN7Sz"
    "I7cu+DbEXNjsM7oi747WvM1MeUDiKq2kuZHNkGiaUSsIXona0LanHGxa1doFyCGpVo0hID"
    "UNYL9CauLB4IinuYdDQDAt/Crt2t5/pWX9EP6RPRG6mvp7/1nLiSVHD4rcnCQptszTyVNl"
    "tSjYpyiYrZ9MTkpGopIZoZUkH/ggI/Bl05Xzi0yFkiamnKyJaT1t4iv6YTLg5vN7RDfjcT"
    "2BLIQxB+J6Yso4MiyfgB2NOcPS226ZUU738FtTlGlJokKCFU9ivPrlviIs1jKHC4Hx5vbT"
    "j/l0Op2YjkFNg7BXzzJ7u0qlAu5da+Q6ebCH5MEIBDumnFQodSrC0PTQqhy5Y+KgThoczR"
    "rvlgKs039Hsro6ZewNrDJ0gB+itdp4ccBQnD44HmgQ6WuU1EI/YFKlFvfy9sv5zZXx8+er"
    "i+u766xAULGayWBiGCyqMn2+Orup2Vfw8bbTa0WR6vdq0O9VaAJnR4cLTatXesgrraPZug"
    "rHpRwuogo5RaZDEeTTRHXgIMGl2gkcZG3sFuBVPgmXepsbcnD35PGOLTu68dYTlrc7Hzvg"
    "errxrKWTTeu4pnO8+h9oRukOOjCKz9jZjZ3Y0m7rc3v9VjzXP8xmR0cns8Ojxen8+ORkfn"
    "pYHG71Id4pd379Iz7oKoz5Zf+2vAypg3XGIDqakcc4BDiiTU6ghRoBbw4w8xh4CXzZSdpK"
    "ANx6rid9ogg73Sk6BcFuvxI9cVzvALXWhYTZhgUjYDsMY2hz0XSCRNdNr5y+u9ZNH0hM6w"
    "W6wyV0bKSAPE8YUn5lnCvpm/hZrHSqDQXzrP6OZHloAAMTG08gNMKN9+T+JUlTyuMOjA1w"
    "LQcaLoQWtHASU+xj+c6wk/wmNM2E9QSqVu/MDLEl4yIwLOhPej/8XwBN208qHNXjbBOkUn"
    "5FTdMBtX0F1O4lEGbYB037kTDZWyFh11QU2vaFpZJxSABcIVIQ5unsVCgU9JQTC3pKI13y"
    "dFGYSwqNsRjGSDby0ZdCBKIlBXWNUMEAxflCqLgObechi+ssuIDv5Kqv02sv7pBNcQFEGA"
    "bQWsq3Y2GRKtM4qDVnrs4/bYZa3VI/hC4nemYRJArKB5277jF8dbjl6w+j25CzRga6qHeZ"
    "2GxDqvdTQb/B7ESuzgtmJzub2kvn4Be8zN6TWzjz8wTHPJVaysbTzEHaZB77tfJ0Yulutv"
    "oMP0F1xCYJcuOLAkzSdKS6jX8/D8QfOTDlTFl35KBx7mBPjyOl3fOh25W/sYeM1IjBL5rd"
    "vQWBdvZW9NA2mmTrdrgTbXbR5ktJ82XqmN9lmauUepkHt8wSkTBkDBMZaEKFbUt0paHjW8"
    "a59v12pclad7HMNkVTL47BJpnTh6WGVC6TB9UxNm+oCc2ADFuzQzGRnifT14NrHBuELPbX"
    "LNYTJMMQ7PH3KSPYB3AtGY1fUmjb14t2AtOOpIqD5fO1DeZlbNHPitH3SeFL0miMBexcXh"
    "ywqqFz7FwFhcZXgD9oQ8AbjL/QdgHVVp1hJ6i1ox2oq3H0/JQTdpPAV8e7u3oOA4NbNOCG"
    "3Gav6VGdldxoqemyOnhXz3zPjYD52jbeF+ldRsjihUDCTdNfiZBgV/lRwvPgOY73FL+2vf"
    "mH5DZfRFqbj/FNi0D49ZUI3aNbKIROpxZ2b7u1Q+z0vYHWOjFv123t9JwDrtW9mI1khmJ6"
    "y01nMKfJjj7MmfGtl88QJN+VhNLVc2H9RBzIiUpFTJvqezXV68DIDpt21N6FKsr8Nj41Yp"
    "UqKbbR0GcFQptxMl1C00bAskEtaGi1PyV6nxGPEFgOfpdXF9cIwnfTxUHaDKWs40sGSFJO"
    "DWbkGBfcnOQtYrs4OBaGFmy9mJW/zQW3JHqL8E6PJbauNgg3s99xmgZFDMKEDCooIxIUKp"
    "2trUVYVkR0UQGxQqSglNi5vdUv7KR9GVyHBrioxbWy1RrK59IcogVcFbOJ0agSXHFQJYlz"
    "Yy3TIlLYcXmGkNJk3Lb9Iw1trEUcVot/ZbLF6lkbPd50fOKgjrOpUITilBOhOK1HKEZ2JF"
    "c4qSBQzz/bCcA+AkkK4IJAPYDbTwB9BA6zKLznORC4DalaOQ0F8AoRdcUkcpbcr0p+fnt7"
    "U1EJz6/pPq9fPp5foT1NKezNKVzFkSgc4kkTqretdZycNou0UqeIFE0F5cgKjTaNZJyLV5"
    "rIYVfklC9OVNxoZAALlyUit9aQChMlWj1Dt8y1/WbFsgiz6TGrLa8rhOsOlVUR0H9rWPyz"
    "REAn1fuwgoknllkn6cSUuog1J/VRPOIHnhWb0dKxXeZ4ZSnJBzIdL9R67R702p71rt2ywS"
    "a9iE+dZN4V75dwIkdOoKDloIPCO7ogTNcRKft2PQ9M5Wo7aEKnenWrwg4w01YpfGmRT9i8"
    "SNFprIWxlsrjJ2l0In/FAtNGIn/mIlzK+odoOvW2fydejJqWWhdLuGZJFr2CxsmRGCNzTL"
    "jWSPjNhyY2IiQ2AvaCsxe7Tslb6vG9bzxRFK0czakKE4vkO1Mh1I07hvyuoJWKlgEEzGiw"
    "5sOIIlPvLOrEtKOdY2/indJVI5pfsnH6QBnLXs8W1z7QDsLD91KLY3Cg9twDRzua8y31ek"
    "dzbTO3gKvyQfeNZU5E4sN1mRPZMid58v6rK53UawYoskF1TQ9plDZ2GHmsoo8yGN1h69tP"
    "5Z1U3E66+EmfxU+Kt44RhkW+kc2hWJXXv+NwrKqAYZpxUI218llDOh6qz3goLLhE8BtDXr"
    "5HVxscxgSNAlFRPC3+6pd7vgutUOJvbj/9mE+n/WpU6k8A3PRBZUCvUqlgsuwbdxBbtleH"
    "nFMSPifQfmT+YuzgR0b7HB88kMHTmxekQjSMRVGq/VZ6QKDvc1lZ4M3rQtPppWl9aUgRqb"
    "YyfLM8RaqgXX68dvi6+0V72RqXeaTuF6EUtLIVuXBEVUnSijQ4oJ5AHSR27sW9NTCBu23v"
    "Vv/lpBQHtLSIiMdu+9pVuLOrEKGn/Vkv+7MIQ93LFaT6d78OjCm83vtadkPYX2mukYLaVJ"
    "lLpMFEl3b7awutNW66xrDbF2MHPLu9nc7Kmrq+aLifnBlp7bd/C404hIFhWwZSjj0XGr4D"
    "ogcv2P4l/ZTMMrbg2diAR2iE8BHtC+f9hFqXVm7IrAyWk+MJ8FsEAzddQ7o+mHYM9OkYIF"
    "dFOMeJoFFQHpmJBdVyYmpptYTc7hI4U2QKQj2dnYok08xOm5Np8Jgu1rp/IVsXaxUVXpqL"
    "te658Mu1u/K+fYRhCJJDpy7BkON8KQbPFBJgpCIPqkKEBa3Yh8uv8JlRY7Ssh4BFDByHgK"
    "WZZPKBQY1KSRzn9vqtCB0/zGZHRyezw6PF6fz45GR+elhIH/Uhnhhyfv0jlkQqrEWLJoMQ"
    "TfA7LIFvNl1BaNsv4kLwJwmEq1QKAt1J0hrJ3EWRJmk0zmI46yZZHfJiHzw7HmDg2xwuRp"
    "AoAXHfwWJNhbb4Dckai211mA532K2s10YbMhBFcOuz6rjw4STpNKAkoI/ATn4jM0yEp4nQ"
    "lMrA2otOQlQegCCEy9iNbIZThrcAFKHGfzf8n7zgKysbsVniKClUCJ6uihynIiLHabPIcV"
    "rvbQhNaD82xKHx9jdFqFJaeM9b3PJcef5OECkUYdMz8jAIPAZvaZa2CwIVWEsfonbNX7Av"
    "w7aJveqPsLmVOD3lgG/eziZ32Ei84iUAT0QUKAxsT7vN9+s2JxdE2Hb69MpQ3sGdlx0bUL"
    "OdLgFxSaEgwNOFiK+cjm4nXOWLodXAHhreHHyLItgziSLYFoyQGi5V15Yg0elVfBlkl7K2"
    "OuvmDWbd6IAgHRA0zoCgfXca/ggtG0wY6lI6cMBTkrbFlJeDmF3DC+w1zis2HmwHGu8ePd"
    "uEhutFaDYSJtboD4giYG62SPH6k/EV+hEOS7bs8KuxejZw2XE0YGxAuGGENLd++5eromh1"
    "rE91LNyA2Xwhw95LinZ4u9pplen+TzGSAJmmU/AY7aYdgP2/DJyb3dHZdJWM8K0lW/oArZ"
    "OM3JfNV3CvzoX26pyzV+e6XPjbVakGYsy/jSN+mHp1AldG9ZKp7ZvvOeHodGRGHp5ORi5n"
    "UbYBNG0/z46tB7S/SIGPXulSezq+vV13Y7PQOpz44AEJr51ErepMAp1JMGZHWIWtiwJcIV"
    "IQZh3fPjYOoePbdXz7qMOxdXy7jm9XK75ax7fvF3+e9YwHP9d2NmrDb88LkBtJpNAniHT0"
    "9a7Ib1MDnfRpStL1t/Gnwz9NdTj7GwlnzwJiGKbvMlSm2ebtQ893YOc2bymjc7OC3Wb81Y"
    "DMnG356Juty8lfCaDz+Uqo2T346APPkcI3n98Vvvs02bdtKApjHwaPdujJNlWtEXZ0so2f"
    "cRB9iuxIbicXBCqIDT1wCnTC2o8MhM89xBKA22DgKIgolFeIqiuOnG/rfsWz89vbm4p4dn"
    "5Ny19fPp5fIdypxIu6CKybmjdv9HEGo+QY8ZqaRxBsJQ8KgkQ9LtZ5aD9Gr462dGD/fXab"
    "cWEtGtVPbDHpGuX77A49NMbVhDcdfJD8vmUYwde2PM6xuougSNvjUeKVdiV4bSttxVo3UD"
    "HvuuG4FGC4J8MroRJsWjFKePrvxz5KmKr9L3bHiey2oSJOSTGJ12JUr3miIlT9ta4fDTxd"
    "eifuInT9JzuMvIDZB6cyfsDzVIR45nJDTO02SJ/oKmRugLsmmtgj5TN5GnpMp3n2meb5EH"
    "jbch1Edf0qlXrqfvvxxuRuF7aoeK/EeGjMs2uQCTZSg/mFxLkKpYK2yvHaJpNLzGVePcs2"
    "/qUJ1eNc7Tuzci1Lrl8tRaVQTNeImwAPjSm1gSjHpt5v38+hgStqVG9q/LnnzlmJfsjQdX"
    "K9sVnHKZTT3hKQrRgWag0IQ7S7IMwgzSZpraZXrUbnnBUCwZGIlH3ULGUf1VWZfqNbhg6v"
    "GL48gOtFLmN2+g5fhympWtBfBiZ7qaS+NCUQcmLwmpIHO3yDJp4P3Ukv79B0JhIhNuM0rK"
    "1nd2/xb9vFEkCR6ldpyK8SQgCkjga0mx4hQ9rnJ76w6JXJu2sjASb04sCEsiHDJFErJpYB"
    "pRl0Es+qK341oz/OIEuRIsqUqij6elFkCgrVHZTbTOKq5KxtFRptwByCAVNBQDn2y/xFb8"
    "GGqXzBb4opsi2Z9Obtzzg8sI3bmm24zmNbwFS1IFga1crBMiibO84eYNncs6wCjs0dzeje"
    "5q4ToHUC9EBE1G4SoOHaZvX34FUkzCnUS4JuXwtI0VrKbmOKrEcbbE/21y72soPUdknFli"
    "DRgTmCGYQiCW9buF0h+b++FDLx2sIaxMBWYS8B22cwsM0NS5TKRrjCFCjnDEaa0iEJrwxJ"
    "eETvj+ThTpAoKEHN5nORIifzeXOVEzymK2b36KZImw/VEW5uvkmQ9N98cz9e1NbabEoc9u"
    "0fZt//H+LtKAg="
)
