"""Service (服务): the job itself, on the field staff's phones and in the office.

Preparation, check-in and check-out, the service log (服务记录), changes the customer
must agree to first, and acceptance (验收) in four signed stages with rework.
"""
