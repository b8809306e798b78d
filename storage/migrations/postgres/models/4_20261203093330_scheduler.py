from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "job_runs" (
    "name" VARCHAR(60) NOT NULL PRIMARY KEY,
    "last_slot" BIGINT NOT NULL,
    "last_run_slot" BIGINT,
    "last_run_at" BIGINT,
    "last_late" BOOL NOT NULL
);
COMMENT ON TABLE "job_runs" IS 'Per job: the latest slot ticked (to find missed ones after a restart) and the last run.';
        CREATE TABLE IF NOT EXISTS "pushes" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(200) NOT NULL UNIQUE,
    "person_id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(30) NOT NULL,
    "text" TEXT NOT NULL,
    "task_id" INT,
    "due_at" BIGINT,
    "deliver_at" BIGINT NOT NULL,
    "batch" BIGINT,
    "created_at" BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_pushes_batch_06dc84" ON "pushes" ("batch", "deliver_at");
CREATE INDEX IF NOT EXISTS "idx_pushes_person__3c5615" ON "pushes" ("person_id", "created_at");
COMMENT ON TABLE "pushes" IS 'Something to tell one person, once: ``key`` is unique, whatever runs the job twice.';"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "job_runs";
        DROP TABLE IF EXISTS "pushes";"""


MODELS_STATE = (
    "eJztXWlv47gZ/iuCv3QKuIPYSZz0QIFcs5ttJikm2XbRReGlJSbWRtdKVDJpO/+9pE6KOk"
    "zakiwx/DQZka9sP7ze93kP/ndiuwa0go9nnue7L8Ca/En778QBNsR/lNqm2gR4Xt5CHiCw"
    "sqLOIOkVPQWrAPlAR7jhET+C+JEBA903PWS6Dn7qhJZFHro67mg6T/mj0DF/C+ESuU8Qra"
    "GPG37+N35sOgb8CgPy358nAQIojD4osMDSwN0BmuBeP098iIUDBP2laZB23YcAQSNqJ6/x"
    "npePJrSMwu+Mu0bPl+jNi55dO+hT1JF8y9VSd63QdvLO3htau07W23QQefoEHeiTz8PPkB"
    "+Sn01+VQJRikT8C/Mu8U+jZAz4CEILUTCtlvmzyXJ5e/ewvL96WC4nAsDqrkMGBX/VIPr1"
    "T+Qr/GE+Ozo5Oj1cHJ3iLtHXzJ6cfIs/OgcmFozguX2YfIvaAQJxj2hsclARtD0LY1GG9m"
    "IN/GpsaRkGYfzVWYRTPJsgTh/kGOfzsQ+QbfB1aUHnCa3xf48OGhD9x9mXi+/Pvnw4Ovg9"
    "+UAXL594Yd0mLfOoiYBOgWwiSwzhVEBCeOcHPPjiXrUAR21FhIHthvHiLkJ8CXXTBlY1yr"
    "kQA7MRS31MpDkgT7aEoSDeAPDl1cX157ObD7PFdB4hHPxmmQiyc7sI76Pr22Vwf7i/u61G"
    "Nu3P4mrqSPufZplBaR9uaxpP/vIYOjrBS1uFpoVMJ/hIPvavk/6hJviQN9sBxpiewh8+n/"
    "3Ezu6Lm7vzCDI3QE9+9JboBefMUOSHKu9mkkv0t5tMPOgYBLZetpTZnGNHmc1rNxTSVERZ"
    "D30fOmiJdRSvjPU93hSsWtWDld2shLSF+kG3Ssjh/GSR6R/kP02qxz3eZG5S/YOavrkmWN"
    "6sMRzItGHNNC5IsjtLIvox/UOqPfvh+vPV/cPZ578XdpPLs4cr0jKPnr4xTz8smOmevUT7"
    "5/XD9xr5r/avu9srdtPJ+j38a0K+EwiRu3Tc1yUwaEzSx+mj4vLJ9XnBUS5KtjDKg1OG8A"
    "807hzrLZmBIxn2ZLE0jjpRm4ytRr0oqdb2oNe2ZZLTTcgaL8hsdR4ObEDbMcvppQMsMUgp"
    "CQVoGVCWYeJVllk5CQ3wxRGHtrw4qtWWSdO3b4Sme3yu5JQyDMvAf3J9aD45f4NvEfzX+G"
    "sCR6+iOhJW8+/QD/CPHR/m39KZlT7N15wPXjN6szThMAT4h8PYIv+Cd+sv1xcPk4oduAVw"
    "L7IXjWuz4MW2cOwUgMXfQLv98eZmUtqFW4D1Eo6YM9oIKnXw1EBKtoYV0J9fgW8sa/YIgB"
    "DQ1zYkH15C/DwR/vS3L9AC0Q+pBTt1e5xlL5Ros2CYH+i1BNZ9Qk3IAhOZce7cpWZaYQ6W"
    "m+y5zT4BDniKfhL5bPJJ9ROswftWnIab/XBLZiF06pJTrrU+XWuPJla5gC3k+KFlJFQ958"
    "fHPL6f4+N63w9pK6r6NjRMIGY80SL90bODn8s5pqFnuYAwMqs3QQOqLCnhPG7HhFKMKR/0"
    "8jKmmRYgtHsxUmoDSzawBkoCUMFRO1p3dJzVyEDmNfGYCVYw8y7O7i/OLq+arLw+tPHIgm"
    "nQw1MLh0MDz+yqdnXvn1kYA/hb8o3w05jv+XcpZo5unWa+exUU16vmnoyUiNM/EZFpL27D"
    "3f+Mf4KI9pj27zFSJVlxk14UxxlP7NusPvRtVgrNGkk80Csw0ZjjgVzbruTcH+DXOp9nLr"
    "IVzsOkhyu17qufHgoKdynOLVO6b+5uv0u7s8FvrEdUBRPIH0zgQ5uguM0wM6JqnIc8zhgB"
    "YG1JcLCyaqSHPNKK0uiKk2VMQ151jxFTbKx4QItijyZts0dVE7sFeKUPF2JWc0200J64ud"
    "Aw0Y37NKni5dK2aSMnR3otraRbx9mp4epXqKN4BuHG9P+EliM5qsK5qOfm03th3v44nx8e"
    "nswPDhenx0cnJ8enB9nhVm5qOuXOr78jB11hY97Mz4nrkNI6x6RSHXXkVhwCDapNKqCUGg"
    "4XM9DT4DABfKvDyaQAmIeKXdRTsYsyFcucKNyELCMnIdjt59RTx/UWUCtbiHvbMCACplXh"
    "YahP/6ZEVAZ4MzPOmQFeMk73o+Ff4DdcQsvEBsjbpELLL7Q3avo6+S5G3NWEfO73yT+xLg"
    "81oBFh7RUEWrB2X50/a1jH10hFElJ2QFsDx7Cg5kBoQENDrhZ6RL/TTKSZDummw48TZmDb"
    "fXNlMED6lhQW/E/8PvKXD3XTi3IxyhEBEVLxfsV0UwEBfQUE0IPHe9TQMhIeNHO+Ki4NRV"
    "xK+qlXUWqhkdeUFNr2laV84xAAuCAkIcyz+SlXmMBpQ5zAKYt0vqfzwpxLKIz5MMa6kYc/"
    "FGIQDSGoS4IyBGawGRYLrgwLluehMywWjYBv5aovyysv7pCpOB9iDH1oLLF6HlSyRrU6ZZ"
    "WoNCWQWnPmqnyPeqjlzfegbDneM4sSkVA/6Nx1T+Arwy1eKQG/hu41MtC5Cybkk21ISR8F"
    "9GtoJ3p0NtBOZtK1lxrIG7zM7quTOfPT4Petkj7qd5A2N4/9sjydMN31rM/wkxdGTEnQE5"
    "8XYFqmI9Nt/PN5IP7IgRln0rojB41zB3N6HOlOrgedrvyNXfPwBLCK/aLe3ZsJKGdvwQ5t"
    "o9y3OP+yF9pl1tVcV7RLXzv3SGgWLvoydsxvM8xFSTXMgxtmgUgYOoaJDjRhwrYF6uex8S"
    "3jHPt+6+clRUaraJus/GgDYRP16YOpoY3L6IuqGJteY2xES+W1WyZvQMRWNxckWSYIqra/"
    "erWeEhmGYk8+TxrF3odPgtH4uYTivjbyBLqJ3oTcbEl/xcFsxhb/rBB/nhC+tIzCmIPnck"
    "NfF2NtMwmFr6q3uQv08sZfKF5AtlGv4AlKhfMH6moc/X7aEHYTwVfGu7t6DgODmzfghp5m"
    "u9ymQd/qvT29JVCcZCR4F89810FA3/XCkYv4LSPc4rlAIte77IgQ5/03o4Tn0bUs9zXc9S"
    "KWT9FrfuS5hGWMKw2B4HlHhB7wKyRCp1OG3bVtMyBO3xtoPEX0dplrZ/tMG1n3rDfWGbLu"
    "LZfHpi6SIjszefXyDYLos6JQunIurBepA6lQbogpqr5Xql4FRnZY0Lm0Fooob7h7nBWWqZ"
    "JiGwXJVyAwK06mS6ibGNhqUDMZ1uyPhT4mwiMEtgG/y6uLawzhh9liGhfKxga9GdsmdIAk"
    "49SojBxrBDcVeY/YLqZH3NAC2w2r8rcbwc2F3iO8syOBqasI4frtd5zUIN+V9X3fuz24wW"
    "05wrKgovMqiAUhCbXEzvlWL+NJ+yJchwY4L+NamGocl233eyf0WFGtuxR63yWJU7K2khHJ"
    "eNwmIiSnjNvmPwq3k+cRh8XiX4lukV2mqUiP9xmfOKjjbMYVoThriFCclSMUkYnECidlAv"
    "L5ZzsB2MMgCQGcCcgHcPsJoC/AqiwK77oWBE5NqlYqwwC8wkJdbRLpltyvSX5+d3dTMAnP"
    "r9k7wH78fH6F5zRjsNencAnfTF0SlG9aqzg5RYu0UqeIVk059ciCjKJGNt9JrVvVFTnFix"
    "NlLxoZwNxlieipNaTCRJFVX2FbptZ+vWGZhdn0mNWW1hUidYfyqgj4ryeY/bHEQEfV+4iB"
    "STrmWSdxx1g6izWn7VHS4vmuEepoaZlOZXthKOkvpFtuoOzaPdi1Pdtd22WDTXpRnzrJvM"
    "vWF3ciRyogIXPQQeEdVRCm64iUfbueB2ZytR00oVK9ujVhB5hpKxW+rMrHTS8ycgprbqyF"
    "8vhpGZXIX2Bg2kjkT1yES1H/ECsn3/TvxItRslLLakkjLVklLyE5ORIyMsWkkY2EXz2oEx"
    "Ih4giqB7x6sMuSTUM9vvXWpIrikWN3qoxiEVwzBUF1cceQ1woeKbT0IaiMBqs/jBgx+c6i"
    "Tqgd5Rx7F2tKVY2oX2Tj9IFWDHs5W1z5QDsID99LLY7BgdrzHTjK0ZxOqd0dzaXJ3AKu0g"
    "fd15Y54YkPV2VORMucpMn7O1c6KdcMkGSCqpoewiitzQC5VUUfRTC6J+zb9/mbZJxOqvhJ"
    "n8VPslVXEYZFr8j6UKzC8u84HKuoYOh66BdjrbyqJhUP1Wc8FFFcEPxaoS8/4Kc1DmNKRo"
    "KoqCYr/uqnh2YXWmbE39zdfpd2Z/1qTOqPD5z4i4qAXpSSgbLsG3cQGqZbhryhJHwqoPzI"
    "zYOxhR8Zz3Ny8MCKPb1+QApCwxgUqa7fig8I/HlOVRZ4/biwcmpoWh8aWkUqjUwzLc+ISs"
    "jLj5eHL7tflJetdphH6n7hSkHLryLnjqjKRVrRBgd0J1AHiZ17cW8NTOFu27vVfzkpyQHN"
    "GRH+2G1PuQq3dhVi9JQ/a7M/iyLqNleQ6t/9OrBNYXfva34bwv5Kc40U1LrKXDwXTHTJ21"
    "8beKzJpWsVvH3WNm3i7c24V3Kp60bifnKmxbXffhdoYQB9zTQ0bBy7DtQ8C6BH17f/HP8v"
    "6qXZ4E1bgxeoBfAFzwvr44QZl1ZeWFkZLBUnHeBXBH0nHkO2PphyDPTpGKBHhTvHiZKRUB"
    "+Z8wXVNsTUsmYJPd0FcGbEJIR6Nj/lSaaZn9Yn05A2Vax1/0q2KtbKq7zUF2vdc+GXa2fl"
    "fv0MgwBEh05Zg6Hbm7UY0pNLgRGKPCgqEQY0Qg8un+FbRY3RvB4CUTFIHALRZqLOU41pFd"
    "I4zs2n96J0/HE+Pzw8mR8cLk6Pj05Ojk8PMu2j3NSkhpxff0c0kcLWolSTQagmZA0L4Jt0"
    "lxDa9ou4UPuTAMJFKQmB7iRpjd7ceZGmZRTOfDirS7I63Is98Ga5oALf+nAxSkQKiPsOFq"
    "srtNV8IVltsa0O0+EOutX12riGDCAEba+qjksznLScApQG9AWY0W+sDBNpskRYSWlg7cUm"
    "oSoPQBDAZeggs8Ip0zQAjKDCfzv8X13/uSobsV7jyCVkCJ4uqhynPCrHab3KcVq+2xDq0H"
    "ypiUNrmt+MoExp4T1PccN1xPd3SkiiCJuekYe+71bsLfXadiYgw9bSh6pd8hfsi9jWiVf9"
    "BdZfJc52mTbT20nnDi8SL3gJwCsVBQp901Vu8/26zekB4eZOX3cM5R3cedkxgZrMdAGIcw"
    "kJAZ4teHzlbHQ75SpfDK0G9tDwbsA3K4I9FyiCbUCEzXChuraUiEqvatZBtilrq7Ju3mHW"
    "jQoIUgFB4wwI2vdNwz+4qy+hc49A9HVKRhPdPG0ymH51V0s/dDhjmvGAa1gCg7WGmoVfHi"
    "AtsFykIVN/hob2AbnaIx5TjRRygiQ+GQYaeERYDGh420DAR7/XAO4QvwCL4w8vhzp3+Dmb"
    "y6bU2mv7vZJ3SOmBPAbFot6gWCT6WL0VR4ZsSUZckNunxRSzv6VnhYCIl8u2+NOiigLdeR"
    "RECWhGUI3ATiNgJScog3/TNcsFuR6vWs6ejOqu5YEQ0Z+hYYIqTSpuaNSh7KzL5qQwR3N9"
    "84nUacEKjAW1Dy+uqUPNcRHubdr4y001gBDQ1zZ0sA7zDD1E0rwMM3jWVm8aucYFN2hrEK"
    "wrUsRaf/0O6pKitzugt4M1mB8vRLTQXEI+PbT9MhXx/I8xEgCZlZOQlujmeiXzPxU414f3"
    "Jd1lCmporXiFB/A4CczZtL+Ec/WYa64eN8zVY3X9yvulqAeik96FqDntr9ihUUd1o65cSq"
    "pQOERDeh8b6Zqm+9GZYEnWkg9100urjZQTBDdKkKNXuHSxyhds13KuV1qHk281IOW1kywg"
    "lZmpMjPHHFhU2NZ5AS4ISQizyhcc2w6h8gVVvuCo09tUvqDKF5TMq63yBfeKfxN71gR/I3"
    "c2auK35wFISRIh9CkhFUiwLfJ2TNAJn6a0XH8Tfzb801SlB76T9MAkwLiC+s5Dj+s5bw+6"
    "ngU757yFSOd6A7vNePYB0Zxt+ejr2eX9huXu+0Tr3kfvu5YQvmn/rvDdJ2XfNlEUhB70X8"
    "zAFb2kviTY0ck2/o2DuvfRRGIzOROQQW3oYafAJ6z5Ihoumwv1GCubTutRhcoWyip6xpbB"
    "KEVJFYwylGCUFCMqGqV81zcEtuBBQYnIt4t1nipJ0CujLZwo+ZC8ZlxY82ZJUlNM+M6Xgl"
    "fdd19AVVK+yF32Z8lrRrhx1eHNBh9Ev28ZIOi1hNU9iu/hkhGv+JanHYGS7SosJubdJmm0"
    "+NW7opS9KC/VJOOUIndc7QgV5yVgo4Tn0bUs9zXcdXP6FL3mR2k3puJ9YtvjRN9eJiNOUX"
    "GuXTEq15CTESoEgucdkXrAr5AJnk69E2Gw/gJ11y/S/uXWaaOXAvfjvVPw3rUhWmMgNORq"
    "CFoWdeHfFP+twz9pv/zyDN9++UUzAy0enan2usYj+QJ9UgQjiEpi/OquNPRq6rCcQ9rRZ/"
    "DkDqwA0tfxLLDwYvWjmP4oAYCuw0JFBKiA/2EG/AtG+qsQ/3qPQVXtRVUzq3tngYqPzsA9"
    "5JnFh/WT+LA0hxH8WsFb18dvpP2lALfvyGiiFVZuF7WHISUhUdRXa4nWRrhFWfhQVYXfTs"
    "ugeZdMKxTDviCnQki3HoBMP+fHPhNR015FTo9oAAYSAHmP8PPvzQC5/tukgmQotE+baIaA"
    "9Fyuqa7d1gEgJHlqsK+B85QY7MSaR+4y+jZsm5Ax/14s+c4qST36rp2PA6+ZU5SSL6Kg/Z"
    "RmerZzB224O2I8uI27Y5CpbaQE84baPAVJCcOhxhv+FD2qHObVmyD/VRKUb+dqnwJLHbli"
    "5AEjJZHe3x6BkOtGnKBSEjIp8jsh2hC2ZyThFTuG7UkWpTFl4vaoSVWI27s4u784u7za19"
    "UGkQu6wtZJXdP1Nk7m/+6txllC60VmDQgCPLsgTCBNOimrplerRrltunTb9JtAM3R4+fBt"
    "Arh8L1mNa6HZhql1LmxjvwxM95LJfKmrUdSQ5ldXn6jDFTRxPehMellDszlPEtq8PgdtXi"
    "4gZ5Pftg0TwIiqpTTkpYQRAHEsI55NL7BC22+urVElL01pnzZqbARu6OtQNCuZFmqFYhlQ"
    "NFcnKbOqqHg9+uPM4+S595IxFXmXFyMmoVLdwY0eUeqWGNtWkFEE5hAITAkBbeAv04XeAo"
    "cp/R2tzKZYzWSyk7c/cnhgE7c1bri8x7aAqWx5tiyqhYNlUJw7KVBQxbknhQsaOHfco3vO"
    "XYhEVzXWVI21kZmBPnwyq65kb7r0IJWQr85a+1ZAjNZSdBozYj1ysD3xr13MZQub7YKGLS"
    "WiAnM4ixTVKwp05WF7hfX/8lCIpIRzWxADG4W95ISfQd/U11WqVNLSqEyBvM9gtCkVkrBj"
    "SMILXj+ChzslIqEGNT8+5kmLPj6uT4smbepSrh7dFPH9xmWEf7i/u60hUXMR1jlh6kj7n2"
    "aZwRhDFxvAJWAUPBCl9F02U3dadC2QF+y9/Pq3/wPiNE1E"
)
