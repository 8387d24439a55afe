from django.core.management.base import BaseCommand

from proposals.demo.data import load_demo


class Command(BaseCommand):
    help = ("Load the demo data (吉林省政协 with proposal 135 and its real reply, 吉林省人大常委会 with its deputies' "
            "suggestions, one account per role and office). Idempotent.")

    def handle(self, *args, **options):
        accounts = load_demo()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 / demo data loaded. 演示账号 / demo accounts:"))
        for username, password, role, works_for in accounts:
            self.stdout.write(f"  {role:<12} {username:<12} {password:<24} {works_for}")
